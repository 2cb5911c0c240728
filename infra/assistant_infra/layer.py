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
from assistant_infra.runtime_python import RuntimePythonNotFoundError, find_runtime_python
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
SUMMARY_ONLY_REQUIREMENTS = frozenset({"sumy"})
"""Respond summarises older history with sumy (and the NLTK it brings); the route function never does."""
ROUTING_LAYER = LayerGroup(
    "routing",
    frozenset({"weaviate-client"}) | TOOL_ONLY_REQUIREMENTS | SUMMARY_ONLY_REQUIREMENTS,
    "office_assistant and its dependencies, without weaviate-client (the route function stores nothing), "
    "the model tools' libraries (it runs no tool) and sumy (it summarises nothing)",
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


def layer_source_hash(
    requirements: list[str], package_dir: Path = PACKAGE_DIR, platforms: tuple[str, ...] = PIP_PLATFORMS
) -> str:
    """Changes when the requirements, the target platform, any file of the package or this build recipe (this
    module: how the tree is pruned, compiled and fitted) changes, and only then."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for part in (*requirements, python_version(), *platforms):
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
    """Builds `<output>/python/` with pip for the Lambda platform, on this machine, without Docker.

    `platforms` are pip's wheel tags: the stack's (arm64); the rehearsal builds the same layer for x86_64, whose
    wheels are larger, with `enforce_budget=False`: it makes packages sourceless by the same rule (at least the
    ones the arm64 build does, since its tree is larger) but neither falls back to source nor fails on size.
    """

    def __init__(
        self,
        requirements: list[str],
        package_dir: Path = PACKAGE_DIR,
        platforms: tuple[str, ...] = PIP_PLATFORMS,
        enforce_budget: bool = True,
    ) -> None:
        self.requirements = requirements
        self.package_dir = package_dir
        self.platforms = platforms
        self.enforce_budget = enforce_budget

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        self.build(Path(output_dir))
        return True

    def build(self, output_dir: Path) -> None:
        """`<output_dir>/python/`: the requirements for the platform, the package, bytecode for the runtime."""
        target = output_dir / "python"
        wheelhouse = Path(output_dir).parent / (Path(output_dir).name + "-sdist-wheels")
        try:
            self._install(target, wheelhouse)
        finally:
            shutil.rmtree(wheelhouse, ignore_errors=True)
        shutil.copytree(self.package_dir, target / self.package_dir.name, ignore=shutil.ignore_patterns("__pycache__"))
        _drop_runtime_provided(target)
        _prune(target)
        _compile_for_runtime(target)
        _sourceless_over_budget(target, keep=frozenset({self.package_dir.name}))
        if not self.enforce_budget:
            print(f"office-assistant layer: {tree_size(target) / 1e6:.1f} MB unzipped (not checked)", file=sys.stderr)
            return
        _drop_bytecode_over_budget(target)
        self._check_size(target)

    def _pip(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def _install(self, target: Path, wheelhouse: Path) -> None:
        wheelhouse.mkdir(parents=True, exist_ok=True)
        platforms = [arg for platform in self.platforms for arg in ("--platform", platform)]
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
                f"{requirement} has no {self.platforms[0]} wheel and is not pure Python ({native}); "
                "it cannot be built for Lambda without Docker"
            )

    @staticmethod
    def _check_size(target: Path, budget: int = LAYER_BUDGET_BYTES) -> None:
        size = tree_size(target)
        print(f"office-assistant layer: {size / 1e6:.1f} MB unzipped, budget {budget / 1e6:.1f} MB", file=sys.stderr)
        if size > budget:
            raise LayerBundlingError(
                f"the layer is {size / 1e6:.1f} MB unzipped; Lambda allows {budget / 1e6:.1f} MB for it "
                "(250 MB for function code and layers together)"
            )


_READS_OWN_SOURCE = re.compile(rb"inspect\.(getsource|getsourcelines|findsource)\(")
"""A package that reads source code at run time (anyio builds its lazy-import map from its own source) must
keep its .py files."""


def _source_bytes(package: Path) -> int:
    return sum(path.stat().st_size for path in package.rglob("*.py"))


def _reads_own_source(package: Path) -> bool:
    return any(_READS_OWN_SOURCE.search(path.read_bytes()) for path in package.rglob("*.py"))


def _make_sourceless(package: Path, cache_tag: str) -> int:
    """Replace each compiled module's .py by its .pyc (moved beside it, where Python imports a .pyc without
    source); returns the bytes saved."""
    saved = 0
    for source in sorted(package.rglob("*.py")):
        compiled = source.parent / "__pycache__" / f"{source.stem}.{cache_tag}.pyc"
        if compiled.exists():
            saved += source.stat().st_size
            compiled.replace(source.with_suffix(".pyc"))
            source.unlink()
    return saved


def _sourceless_over_budget(
    target: Path, keep: frozenset[str], budget: int = LAYER_BUDGET_BYTES, cache_tag: str | None = None
) -> list[str]:
    """Fit a precompiled layer by dropping the source of third-party packages, largest first, keeping the
    bytecode (what the cold start needs); returns the packages made sourceless.

    Left with source: `keep` (our own package: its tracebacks keep their lines) and any package that reads
    source at run time. A traceback inside a sourceless package shows file and line, without the line's text.
    """
    size = tree_size(target)
    if size <= budget:
        return []
    tag = cache_tag or f"cpython-{python_version().replace('.', '')}"
    candidates = [
        path
        for path in target.iterdir()
        if path.is_dir() and not path.name.endswith((".dist-info", ".data", "__pycache__")) and path.name not in keep
    ]
    made: list[str] = []
    for package in sorted(candidates, key=_source_bytes, reverse=True):
        if size <= budget:
            break
        if _reads_own_source(package):
            continue
        size -= _make_sourceless(package, tag)
        made.append(package.name)
    print(f"office-assistant layer: sourceless to fit {budget / 1e6:.1f} MB: {', '.join(made)}", file=sys.stderr)
    return made


def _drop_bytecode_over_budget(target: Path, budget: int = LAYER_BUDGET_BYTES) -> None:
    """The last resort when even sourceless packages do not make it fit: ship source, which every cold start
    compiles again (slow, but it deploys)."""
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


def _compile_for_runtime(target: Path) -> None:
    """Precompile bytecode with the runtime's Python (/opt is read-only: Lambda cannot cache it); no such
    interpreter here stops the build (`runtime_python`).

    unchecked-hash .pyc files stay valid after the asset zip resets every file's timestamp.
    """
    try:
        interpreter = find_runtime_python(python_version())
    except RuntimePythonNotFoundError as error:
        raise LayerBundlingError(str(error)) from error
    # A file that does not compile (a vendored Python 2 script, say) is left as source: not an error.
    subprocess.run(
        [str(interpreter), "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash", str(target)],
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
