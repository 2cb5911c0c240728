"""What `cdk deploy` would ship, built for this machine: the template, the function assets, the layers, the runtime.

The template and the function code assets come from a real synth of `infra/app.py` (with `bundling=skip`, so
the synth itself needs no pip); the layers are then built by the synth's own `PipLayerBundling` with the same
requirements, only for x86_64 wheels instead of arm64 so they load here. The "runtime" folder stands for what
Lambda's python3.13 image provides: its boto3 and the runtime interface client (`awslambdaric`).

Everything is cached under `.office-assistant/rehearsal/` (gitignored), keyed like the synth keys its assets:
by the layer's requirements, platform and package files.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from office_assistant.workflow.tasks import PROJECT_ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

INFRA_DIR = PROJECT_ROOT / "infra"
CACHE_DIR = PROJECT_ROOT / ".office-assistant" / "rehearsal"

REHEARSAL_PLATFORMS: tuple[str, ...] = ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64")
"""The stack's wheel tags (lambda_platform.PIP_PLATFORMS) with x86_64 for aarch64: the same glibc range."""

RUNTIME_REQUIREMENTS: tuple[str, ...] = ("awslambdaric==4.2.2", "boto3==1.40.0")
"""What the python3.13 image has besides the standard library: AWS's runtime interface client, and a boto3. The
runtime's boto3 differs by region and date; 1.40.0 is the oldest pyproject's `boto3>=1.40` allows, so a call the
code makes that this boto3 lacks fails here rather than in a region with an older runtime."""


class ArtifactError(RuntimeError):
    """The artifact could not be built (pip, the synth, or a missing interpreter); the message says which."""


@dataclass(frozen=True)
class FunctionArtifact:
    """One function of the synthesized template, as Lambda would be given it."""

    name: str  # the task name: route, history, ...
    logical_id: str
    handler: str
    code_dir: Path  # the staged asset: /var/task
    layer: str  # LayerGroup name: core or routing
    environment: dict[str, Any]  # values as the template has them: strings or CloudFormation intrinsics
    memory_mb: int
    timeout_s: int


@dataclass(frozen=True)
class Artifacts:
    functions: dict[str, FunctionArtifact]
    layers: dict[str, Path]  # LayerGroup name -> the folder Lambda mounts at /opt (it holds python/)
    runtime_dir: Path  # awslambdaric + boto3 for Python 3.13, x86_64
    interpreter: Path  # pyenv's (or PATH's) python3.13
    template: dict[str, Any]
    log_dir: Path  # each function's output of the last run: <name>.log


def _infra() -> None:
    """`python infra/app.py` has infra/ on its path; so does the rehearsal, to use the app's own modules."""
    if str(INFRA_DIR) not in sys.path:
        sys.path.insert(0, str(INFRA_DIR))


def runtime_python() -> Path:
    _infra()
    from assistant_infra.lambda_platform import python_version
    from assistant_infra.runtime_python import RuntimePythonNotFoundError, find_runtime_python

    try:
        interpreter: Path = find_runtime_python(python_version())
        return interpreter
    except RuntimePythonNotFoundError as error:
        raise ArtifactError(str(error)) from error


def synthesize(outdir: Path) -> dict[str, Any]:
    """The template of a synth with cdk.json's context and `bundling=skip`; function assets staged in `outdir`."""
    _infra()
    from app import STACK_NAME, build_app

    context = json.loads((PROJECT_ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    shutil.rmtree(outdir, ignore_errors=True)
    assembly = build_app(context={**context, "bundling": "skip"}, outdir=str(outdir)).synth()
    template: dict[str, Any] = json.loads(
        Path(assembly.get_stack_by_name(STACK_NAME).template_full_path).read_text(encoding="utf-8")
    )
    return template


def function_artifacts(template: dict[str, Any], assembly_dir: Path) -> dict[str, FunctionArtifact]:
    """Each task function and the webhook, read from the template (handler, env, sizing, asset, layer)."""
    _infra()
    from assistant_infra.layer import LAYER_GROUPS

    from office_assistant.workflow.tasks import TASKS, WEBHOOK

    resources: dict[str, Any] = template["Resources"]
    layer_by_id = {
        logical_id: next(group.name for group in LAYER_GROUPS if group.description == res["Properties"]["Description"])
        for logical_id, res in resources.items()
        if res["Type"] == "AWS::Lambda::LayerVersion"
    }
    found: dict[str, FunctionArtifact] = {}
    for task in (*TASKS, WEBHOOK):
        matches = [
            (logical_id, res)
            for logical_id, res in resources.items()
            if res["Type"] == "AWS::Lambda::Function"
            and res["Properties"].get("Handler") == task.handler
            and f": {task.import_path}" in res["Properties"].get("Description", "")
        ]
        if len(matches) != 1:
            raise ArtifactError(f"the template has {len(matches)} functions for {task.name}, expected one")
        logical_id, res = matches[0]
        props = res["Properties"]
        (layer_ref,) = props["Layers"]
        found[task.name] = FunctionArtifact(
            name=task.name,
            logical_id=logical_id,
            handler=props["Handler"],
            code_dir=assembly_dir / ("asset." + props["Code"]["S3Key"].removesuffix(".zip")),
            layer=layer_by_id[layer_ref["Ref"]],
            environment=dict(props.get("Environment", {}).get("Variables", {})),
            memory_mb=int(props["MemorySize"]),
            timeout_s=int(props["Timeout"]),
        )
    return found


def _atomic_build(final: Path, build: Callable[[Path], None]) -> Path:
    """Build into a scratch folder beside `final` and rename it in place: an interrupted build leaves no cache."""
    if final.exists():
        return final
    scratch = final.with_name(final.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        build(scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    scratch.rename(final)
    return final


def _layer_requirements(group_name: str) -> list[str]:
    _infra()
    from assistant_infra.layer import LAYER_GROUPS, layer_requirements

    (group,) = (g for g in LAYER_GROUPS if g.name == group_name)
    requirements: list[str] = layer_requirements(leave_out=group.leaves_out)
    return requirements


def layer_path(group_name: str, cache_dir: Path = CACHE_DIR) -> Path:
    """Where the x86_64 build of a layer is cached: named by the synth's hash of its requirements and package."""
    _infra()
    from assistant_infra.layer import layer_source_hash

    digest = layer_source_hash(_layer_requirements(group_name), platforms=REHEARSAL_PLATFORMS)[:16]
    return cache_dir / "layers" / f"{group_name}-{digest}"


def build_layer(group_name: str, cache_dir: Path = CACHE_DIR, log: Callable[[str], None] = print) -> Path:
    """The layer of `group_name` exactly as the synth bundles it, for x86_64; cached by the synth's own hash."""
    _infra()
    from assistant_infra.layer import LayerBundlingError, PipLayerBundling

    requirements = _layer_requirements(group_name)
    final = layer_path(group_name, cache_dir)
    if not final.exists():
        log(f"building the {group_name} layer for x86_64 (pip, once; cached in {final}) …")

    def build(scratch: Path) -> None:
        try:
            PipLayerBundling(requirements, platforms=REHEARSAL_PLATFORMS, enforce_budget=False).build(scratch)
        except LayerBundlingError as error:
            raise ArtifactError(f"the {group_name} layer: {error}") from error

    built = _atomic_build(final, build)
    for stale in final.parent.glob(f"{group_name}-*"):  # earlier builds of this layer, for older sources
        if stale != final and ".partial" not in stale.name:
            shutil.rmtree(stale, ignore_errors=True)
    return built


def runtime_path(cache_dir: Path = CACHE_DIR) -> Path:
    digest = hashlib.sha256("\0".join((*RUNTIME_REQUIREMENTS, *REHEARSAL_PLATFORMS)).encode()).hexdigest()[:16]
    return cache_dir / f"runtime-{digest}"


def build_runtime(cache_dir: Path = CACHE_DIR, log: Callable[[str], None] = print) -> Path:
    """awslambdaric and the runtime's boto3, installed for Python 3.13 on x86_64 (wheels only)."""
    _infra()
    from assistant_infra.lambda_platform import python_version

    final = runtime_path(cache_dir)
    if not final.exists():
        log(f"installing the runtime's packages {', '.join(RUNTIME_REQUIREMENTS)} (once; cached in {final}) …")

    def build(scratch: Path) -> None:
        platforms = [arg for platform in REHEARSAL_PLATFORMS for arg in ("--platform", platform)]
        command = [
            sys.executable, "-m", "pip", "--disable-pip-version-check", "install", "--quiet", "--target",
            str(scratch), *platforms, "--implementation", "cp", "--python-version", python_version(),
            "--only-binary=:all:", *RUNTIME_REQUIREMENTS,
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise ArtifactError(f"pip could not install the runtime's packages:\n{result.stderr[-3000:]}")

    return _atomic_build(final, build)


def build_artifacts(cache_dir: Path = CACHE_DIR, log: Callable[[str], None] = print) -> Artifacts:
    """Synth, then the layers every function needs and the runtime; each cached after its first build."""
    interpreter = runtime_python()
    assembly_dir = cache_dir / "cdk.out"
    log("synthesizing the stack (bundling=skip: the layers are built below, for x86_64) …")
    template = synthesize(assembly_dir)
    functions = function_artifacts(template, assembly_dir)
    layers = {name: build_layer(name, cache_dir, log) for name in sorted({fn.layer for fn in functions.values()})}
    return Artifacts(functions, layers, build_runtime(cache_dir, log), interpreter, template, cache_dir / "logs")


def tree_size(root: Path) -> int:
    _infra()
    from assistant_infra.layer import tree_size as layer_tree_size

    size: int = layer_tree_size(root)
    return size
