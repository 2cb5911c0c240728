"""The layers: the `office_assistant` package plus its third-party dependencies, built without Docker.

Two layers, because one does not fit Lambda's 250 MB: `core` (every function but route) leaves semantic-router and
its provider SDKs out, `routing` (the route function) leaves weaviate-client out. Each function gets one of them.

A local bundling step runs pip for the Lambda platform (`--platform manylinux…_aarch64 --only-binary=:all:
--python-version 3.13`) on the requirements in pyproject's `[project].dependencies`, then copies
src/office_assistant in. A dependency published only as a source distribution is built into a wheel on this
machine first, which is safe only for pure-Python packages; anything else stops the synth with a clear error.

With the context flag ``bundling=skip`` (``cdk synth -c bundling=skip``; the tests use it) the layer is the tiny
folder infra/layer_stub instead: no pip, no network. Such a synth is for checking the template, never for deploying.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, AssetHashType, BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from assistant_infra.lambda_platform import (
    ARCHITECTURE,
    LAMBDA_UNZIPPED_LIMIT_BYTES,
    PIP_PLATFORMS,
    RUNTIME,
    python_version,
)
from office_assistant.workflow.tasks import PROJECT_ROOT

PYPROJECT = PROJECT_ROOT / "pyproject.toml"
PACKAGE_DIR = PROJECT_ROOT / "src" / "office_assistant"
STUB_DIR = Path(__file__).resolve().parents[1] / "layer_stub"

BUNDLING_CONTEXT_KEY = "bundling"
SKIP_BUNDLING = "skip"

RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer", "jmespath"})
"""Left out of the layers, also when another package pulls them in (aws-xray-sdk requires botocore): the Lambda
Python runtime ships boto3, and the ~30 MB this saves keeps the layers under Lambda's 250 MB limit
(docs/deploy.md, "Layer size")."""


@dataclass(frozen=True)
class LayerGroup:
    """One layer: pyproject's dependencies minus `leaves_out`, for the functions that never import those."""

    name: str
    leaves_out: frozenset[str]
    description: str


CORE_LAYER = LayerGroup(
    "core",
    frozenset({"semantic-router"}),
    "office_assistant and its dependencies, without semantic-router (only the route function classifies)",
)
TOOL_ONLY_REQUIREMENTS = frozenset({"reportlab", "readability-lxml", "markdown-it-py", "jsonschema"})
"""Needed only when a model tool runs (Respond); the route function reads the tool names, never these."""
ROUTING_LAYER = LayerGroup(
    "routing",
    frozenset({"weaviate-client"}) | TOOL_ONLY_REQUIREMENTS,
    "office_assistant and its dependencies, without weaviate-client (the route function stores nothing) and "
    "the model tools' libraries (it runs no tool)",
)
LAYER_GROUPS = (CORE_LAYER, ROUTING_LAYER)
ROUTING_FUNCTIONS = frozenset({"route"})


def layer_group_for(function_name: str) -> LayerGroup:
    """The layer a function runs on."""
    return ROUTING_LAYER if function_name in ROUTING_FUNCTIONS else CORE_LAYER


FUNCTION_CODE_ALLOWANCE_BYTES = 2_000_000
"""Room left under Lambda's limit for a function's own folder (a few handler modules)."""
LAYER_BUDGET_BYTES = LAMBDA_UNZIPPED_LIMIT_BYTES - FUNCTION_CODE_ALLOWANCE_BYTES

_PRUNED_DIRS = frozenset({"__pycache__", "tests"})
_MAX_SOURCE_BUILDS = 10
_NO_DISTRIBUTION = re.compile(r"No matching distribution found for (\S+)")


class LayerBundlingError(RuntimeError):
    """The layer could not be built for the Lambda platform, or came out too large."""


def _requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement.strip())
    if match is None:
        raise ValueError(f"not a requirement: {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def layer_requirements(pyproject: Path = PYPROJECT, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """pyproject's runtime dependencies, minus the ones the Lambda runtime already provides and `leave_out`."""
    with pyproject.open("rb") as file:
        dependencies: list[str] = tomllib.load(file)["project"]["dependencies"]
    return [req for req in dependencies if _requirement_name(req) not in RUNTIME_PROVIDED | leave_out]


def _package_files(package_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in package_dir.rglob("*")
        if path.is_file() and not _PRUNED_DIRS.intersection(path.relative_to(package_dir).parts)
    )


def layer_source_hash(requirements: list[str], package_dir: Path = PACKAGE_DIR) -> str:
    """Changes when the requirements, the target platform or any file of the package changes, and only then."""
    digest = hashlib.sha256()
    for part in (*requirements, python_version(), *PIP_PLATFORMS):
        digest.update(part.encode() + b"\0")
    for path in _package_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def tree_size(root: Path) -> int:
    """Bytes of all files under `root`: what Lambda counts against its unzipped limit."""
    return sum(path.stat().st_size for path in root.rglob("*") if path.is_file() and not path.is_symlink())


@jsii.implements(ILocalBundling)
class PipLayerBundling:
    """Builds `<output>/python/` with pip for the Lambda platform, on this machine, without Docker."""

    def __init__(self, requirements: list[str], package_dir: Path = PACKAGE_DIR) -> None:
        self.requirements = requirements
        self.package_dir = package_dir

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        target = Path(output_dir) / "python"
        wheelhouse = Path(output_dir).parent / (Path(output_dir).name + "-sdist-wheels")
        try:
            self._install(target, wheelhouse)
        finally:
            shutil.rmtree(wheelhouse, ignore_errors=True)
        shutil.copytree(self.package_dir, target / self.package_dir.name, ignore=shutil.ignore_patterns("__pycache__"))
        _drop_runtime_provided(target)
        _prune(target)
        _compile_for_runtime(target)
        _drop_bytecode_over_budget(target)
        self._check_size(target)
        return True

    def _pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def _install(self, target: Path, wheelhouse: Path) -> None:
        wheelhouse.mkdir(parents=True, exist_ok=True)
        platforms = [arg for platform in PIP_PLATFORMS for arg in ("--platform", platform)]
        for _ in range(_MAX_SOURCE_BUILDS + 1):
            result = self._pip(
                "install",
                "--target",
                str(target),
                *platforms,
                "--implementation",
                "cp",
                "--python-version",
                python_version(),
                "--only-binary=:all:",
                "--no-compile",
                "--find-links",
                str(wheelhouse),
                *self.requirements,
            )
            if result.returncode == 0:
                return
            missing = _NO_DISTRIBUTION.search(result.stderr)
            if missing is None:
                raise LayerBundlingError(f"pip could not build the layer:\n{result.stderr[-4000:]}")
            self._build_pure_python_wheel(missing.group(1), wheelhouse)
        raise LayerBundlingError(f"more than {_MAX_SOURCE_BUILDS} dependencies have no wheel")

    def _build_pure_python_wheel(self, requirement: str, wheelhouse: Path) -> None:
        """A dependency with no wheel at all (e.g. docopt): build it here, and accept it only if pure Python."""
        before = set(wheelhouse.glob("*.whl"))
        result = self._pip("wheel", "--no-deps", "--wheel-dir", str(wheelhouse), requirement)
        built = set(wheelhouse.glob("*.whl")) - before
        if result.returncode != 0 or not built:
            raise LayerBundlingError(f"{requirement} has no wheel and could not be built:\n{result.stderr[-4000:]}")
        native = [wheel.name for wheel in built if not wheel.name.endswith("-none-any.whl")]
        if native:
            raise LayerBundlingError(
                f"{requirement} has no {PIP_PLATFORMS[0]} wheel and is not pure Python ({native}); "
                "it cannot be built for Lambda without Docker"
            )

    @staticmethod
    def _check_size(target: Path) -> None:
        size = tree_size(target)
        budget = LAYER_BUDGET_BYTES
        print(f"office-assistant layer: {size / 1e6:.1f} MB unzipped, budget {budget / 1e6:.1f} MB", file=sys.stderr)
        if size > budget:
            raise LayerBundlingError(
                f"the layer is {size / 1e6:.1f} MB unzipped; Lambda allows {budget / 1e6:.1f} MB for it "
                "(250 MB for function code and layers together)"
            )


def _drop_bytecode_over_budget(target: Path, budget: int = LAYER_BUDGET_BYTES) -> None:
    """Ship source only when the precompiled layer would not fit: slower cold starts beat a failed deploy.

    Bytecode adds a good share of the .py size, and the routing layer holds 58 MB of .py in its 239 MB: it
    probably does not fit precompiled (not measured: no python3.13 on the machine that measured it).
    """
    if tree_size(target) <= budget:
        return
    for cache in sorted(target.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    print(f"office-assistant layer: precompiled it exceeds {budget / 1e6:.1f} MB; shipping source", file=sys.stderr)


def _drop_runtime_provided(target: Path) -> None:
    """Remove what the Lambda runtime ships although a dependency required it; the runtime's copy is used."""
    for path in target.iterdir():
        distribution = path.name.split("-", 1)[0].lower() if path.name.endswith(".dist-info") else path.name
        if distribution in RUNTIME_PROVIDED:
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def _prune(target: Path) -> None:
    """Drop what never runs in Lambda: bytecode for the wrong interpreter, packages' own test suites."""
    for directory in sorted(target.rglob("*"), key=lambda path: len(path.parts), reverse=True):
        if directory.is_dir() and directory.name in _PRUNED_DIRS:
            shutil.rmtree(directory)


def _interpreter_version(interpreter: str) -> str:
    """The "major.minor" a working interpreter reports; empty for a shim or a broken install."""
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    result = subprocess.run([interpreter, "-c", probe], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else ""


def _compile_for_runtime(target: Path) -> None:
    """Precompile bytecode when this machine has the runtime's Python (/opt is read-only: Lambda cannot cache it).

    unchecked-hash .pyc files stay valid after the asset zip resets every file's timestamp.
    """
    interpreter = shutil.which(f"python{python_version()}")
    if interpreter is None or _interpreter_version(interpreter) != python_version():
        print(f"office-assistant layer: no python{python_version()} here, shipping source only", file=sys.stderr)
        return
    # A file that does not compile (a vendored Python 2 script, say) is left as source: not an error.
    subprocess.run(
        [interpreter, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)],
        capture_output=True,
        check=False,
    )


class SharedLayer(Construct):
    """The layer of one `LayerGroup`; `bundling=skip` swaps in the stub folder (template checks only)."""

    def __init__(self, scope: Construct, construct_id: str, group: LayerGroup) -> None:
        super().__init__(scope, construct_id)
        skip = self.node.try_get_context(BUNDLING_CONTEXT_KEY) == SKIP_BUNDLING
        if skip:
            code = lambda_.Code.from_asset(str(STUB_DIR))
        else:
            requirements = layer_requirements(leave_out=group.leaves_out)
            code = lambda_.Code.from_asset(
                str(PACKAGE_DIR),
                asset_hash_type=AssetHashType.CUSTOM,
                asset_hash=layer_source_hash(requirements),
                bundling=BundlingOptions(
                    # Never pulled: local bundling always succeeds or raises, so Docker is never asked.
                    image=DockerImage.from_registry("office-assistant-local-bundling-only"),
                    local=PipLayerBundling(requirements),
                ),
            )
        self.layer = lambda_.LayerVersion(
            self,
            "Layer",
            code=code,
            compatible_runtimes=[RUNTIME],
            compatible_architectures=[ARCHITECTURE],
            description=group.description,
        )
        if skip:
            Annotations.of(self.layer).add_warning_v2(
                "office-assistant:layer-stub",
                "Synthesised with bundling=skip: the layer is a stub and the functions cannot run. Do not deploy.",
            )
