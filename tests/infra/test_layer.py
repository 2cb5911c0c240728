"""The layers: the core/routing split of pyproject's requirements, the source hash, pruning, the size budget."""

from __future__ import annotations

import compileall
import os
import py_compile
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from assistant_infra.lambda_platform import LAMBDA_UNZIPPED_LIMIT_BYTES
from assistant_infra.layer import (
    CORE_LAYER,
    LAYER_GROUPS,
    ROUTING_LAYER,
    RUNTIME_PROVIDED,
    STUB_DIR,
    LayerBundlingError,
    PipLayerBundling,
    layer_group_for,
    layer_requirements,
    layer_source_hash,
    tree_size,
)
from assistant_infra.layer import _drop_bytecode_over_budget as drop_bytecode_over_budget
from assistant_infra.layer import _drop_runtime_provided as drop_runtime_provided
from assistant_infra.layer import _prune as prune
from assistant_infra.layer import _sourceless_over_budget as sourceless_over_budget

from office_assistant.workflow.tasks import PROJECT_ROOT

if TYPE_CHECKING:
    from tests.infra.conftest import Synthesised


def _a_package(root: Path) -> Path:
    package = root / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("x = 1\n")
    (package / "sub" / "mod.py").write_text("y = 2\n")
    return package


def test_layer_requirements_are_pyprojects_dependencies_minus_what_lambda_provides() -> None:
    declared = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]

    requirements = layer_requirements()

    names = {re.match(r"[A-Za-z0-9._-]+", req).group(0).lower() for req in requirements}  # type: ignore[union-attr]
    assert set(requirements) <= set(declared)
    assert names.isdisjoint(RUNTIME_PROVIDED)
    assert len(requirements) == len([req for req in declared if not req.lower().startswith("boto3")])


def test_each_layer_leaves_out_only_its_own_requirements() -> None:
    everything = layer_requirements()

    core = layer_requirements(leave_out=CORE_LAYER.leaves_out)
    routing = layer_requirements(leave_out=ROUTING_LAYER.leaves_out)

    assert [req for req in everything if req not in core] == [r for r in everything if r.startswith("semantic-router")]
    tool_only = ("reportlab", "readability-lxml", "markdown-it-py", "jsonschema")
    assert [req for req in everything if req not in routing] == [
        r for r in everything if r.startswith(("weaviate", *tool_only, "sumy"))
    ]


def test_the_route_function_imports_nothing_its_layer_leaves_out() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import functions.ingest.route; from office_assistant import bootstrap; "
        "from office_assistant.services import media, routing; "
        "print(sorted(m for m in ('sumy', 'nltk', 'weaviate', 'reportlab', 'jsonschema') if m in sys.modules))"
    )
    environment = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT / 'src'}{os.pathsep}{PROJECT_ROOT}"}

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)

    assert result.stdout.strip() == "[]"


def test_only_the_route_function_runs_on_the_routing_layer() -> None:
    assert layer_group_for("route") is ROUTING_LAYER
    assert {layer_group_for(name) for name in ("webhook", "history", "relevance", "auxiliary", "respond")} == {
        CORE_LAYER
    }


def test_runtime_provided_packages_are_dropped_even_when_a_dependency_pulled_them_in(tmp_path: Path) -> None:
    for name in ("botocore", "botocore-1.44.8.dist-info", "jmespath", "aws_xray_sdk", "dateutil"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("")

    drop_runtime_provided(tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["aws_xray_sdk", "dateutil"]


def test_bytecode_is_dropped_only_when_the_precompiled_layer_would_not_fit(tmp_path: Path) -> None:
    (tmp_path / "pkg" / "__pycache__").mkdir(parents=True)
    (tmp_path / "pkg" / "mod.py").write_bytes(b"x" * 100)
    (tmp_path / "pkg" / "__pycache__" / "mod.cpython-313.pyc").write_bytes(b"y" * 80)

    drop_bytecode_over_budget(tmp_path, budget=180)
    kept = (tmp_path / "pkg" / "__pycache__").exists()
    drop_bytecode_over_budget(tmp_path, budget=179)

    assert kept is True
    assert not (tmp_path / "pkg" / "__pycache__").exists()
    assert (tmp_path / "pkg" / "mod.py").exists()


def test_layer_source_hash_is_stable_and_tracks_package_files_and_requirements(tmp_path: Path) -> None:
    package = _a_package(tmp_path)
    first = layer_source_hash(["numpy>=2"], package)

    same = layer_source_hash(["numpy>=2"], package)
    (package / "sub" / "mod.py").write_text("y = 3\n")
    after_edit = layer_source_hash(["numpy>=2"], package)
    other_requirements = layer_source_hash(["numpy>=2", "httpx"], package)

    assert same == first
    assert after_edit != first
    assert other_requirements != after_edit


def test_layer_source_hash_ignores_bytecode_caches(tmp_path: Path) -> None:
    package = _a_package(tmp_path)
    before = layer_source_hash([], package)

    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "mod.cpython-311.pyc").write_bytes(b"\0\1")

    assert layer_source_hash([], package) == before


def test_prune_drops_test_suites_and_bytecode_caches_but_keeps_code(tmp_path: Path) -> None:
    (tmp_path / "numpy" / "_core" / "tests").mkdir(parents=True)
    (tmp_path / "numpy" / "_core" / "tests" / "test_x.py").write_text("")
    (tmp_path / "numpy" / "__pycache__").mkdir()
    (tmp_path / "numpy" / "_core" / "multiarray.py").write_text("")

    prune(tmp_path)

    assert not (tmp_path / "numpy" / "_core" / "tests").exists()
    assert not (tmp_path / "numpy" / "__pycache__").exists()
    assert (tmp_path / "numpy" / "_core" / "multiarray.py").exists()


def test_size_check_refuses_a_layer_over_lambdas_unzipped_limit(tmp_path: Path) -> None:
    with (tmp_path / "big.bin").open("wb") as file:
        file.truncate(LAMBDA_UNZIPPED_LIMIT_BYTES)  # sparse: costs no disk

    with pytest.raises(LayerBundlingError, match="unzipped"):
        PipLayerBundling._check_size(tmp_path)


def test_tree_size_counts_every_file(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x").write_bytes(b"12345")
    (tmp_path / "y").write_bytes(b"123")

    assert tree_size(tmp_path) == 8


def test_skip_bundling_makes_each_layer_the_stub_folder(synthesised: Synthesised) -> None:
    layers = synthesised.of_type("AWS::Lambda::LayerVersion").values()
    assert sorted(layer["Properties"]["Description"] for layer in layers) == sorted(
        group.description for group in LAYER_GROUPS
    )

    for layer in layers:
        asset = synthesised.assembly_dir / ("asset." + layer["Properties"]["Content"]["S3Key"].removesuffix(".zip"))
        assert sorted(path.name for path in asset.rglob("*")) == sorted(path.name for path in STUB_DIR.rglob("*"))
        assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


class _PackageOnlyBundling(PipLayerBundling):
    """The real bundling step without pip (no network here): what the layer gets of this repository's code."""

    def _install(self, target: Path, wheelhouse: Path) -> None:
        target.mkdir(parents=True, exist_ok=True)


def test_the_layer_ships_the_office_assistant_package_and_no_toolkit_module(tmp_path: Path) -> None:
    import office_assistant_local

    toolkit = Path(office_assistant_local.__file__).resolve().parent
    # the toolkit's modules by their path inside their package ("engine/runner.py", "standins/slack.py", ...)
    toolkit_modules = {p.relative_to(toolkit).as_posix() for p in toolkit.rglob("*.py")} - {"__init__.py"}

    _PackageOnlyBundling([]).try_bundle(str(tmp_path / "layer"))

    layer = tmp_path / "layer" / "python"
    shipped = sorted(p.relative_to(layer).as_posix() for p in layer.rglob("*.py"))
    print("\n".join(shipped))  # the layer's file list, for `pytest -s`
    assert "office_assistant/bootstrap.py" in shipped and "office_assistant/services/respond.py" in shipped
    assert {path.split("/")[0] for path in shipped} == {"office_assistant"}
    inside_package = {path.removeprefix("office_assistant/") for path in shipped}
    assert len(toolkit_modules) > 20 and sorted(inside_package & toolkit_modules) == []


def _compiled_package(root: Path, name: str, source: str) -> Path:
    package = root / name
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(source)
    (package / "big.py").write_text("VALUE = 42\n" + "# padding\n" * 2000)
    compileall.compile_dir(package, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    return package


def test_over_budget_the_largest_third_party_packages_ship_bytecode_without_source(tmp_path: Path) -> None:
    _compiled_package(tmp_path, "bulky", "from bulky.big import VALUE\n")
    _compiled_package(tmp_path, "readsitself", "import inspect\nSOURCE = inspect.getsource(inspect)\n")
    _compiled_package(tmp_path, "office_assistant", "x = 1\n")
    budget = tree_size(tmp_path) - 1

    made = sourceless_over_budget(
        tmp_path, keep=frozenset({"office_assistant"}), budget=budget, cache_tag=sys.implementation.cache_tag
    )

    assert made == ["bulky"]
    assert sorted(path.name for path in (tmp_path / "bulky").glob("*.py*")) == ["__init__.pyc", "big.pyc"]
    assert (tmp_path / "readsitself" / "big.py").exists()  # reads source at run time: keeps it
    assert (tmp_path / "office_assistant" / "big.py").exists()  # our own: tracebacks keep their lines
    assert tree_size(tmp_path) <= budget
    imported = subprocess.run(
        [sys.executable, "-c", "import bulky; print(bulky.VALUE, bulky.__file__.endswith('.pyc'))"],
        env={"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.split() == ["42", "True"]


def test_a_layer_within_budget_keeps_all_its_source(tmp_path: Path) -> None:
    _compiled_package(tmp_path, "bulky", "")

    assert sourceless_over_budget(tmp_path, keep=frozenset(), budget=tree_size(tmp_path)) == []
    assert (tmp_path / "bulky" / "big.py").exists()


def test_the_layer_takes_wheels_for_every_glibc_the_runtime_supports_and_the_rehearsal_the_same_range() -> None:
    from assistant_infra.lambda_platform import PIP_PLATFORMS

    from office_assistant_local.rehearsal.artifacts import REHEARSAL_PLATFORMS

    glibc = {re.sub(r"manylinux_?(2_?\d+|2014)_aarch64", r"\1", tag) for tag in PIP_PLATFORMS}

    # pip takes --platform tags as given, so a wheel tagged manylinux_2_28 (tiktoken's cp313) needs its own tag
    assert glibc == {"2014", "2_28", "2_34"}
    assert tuple(tag.replace("aarch64", "x86_64") for tag in PIP_PLATFORMS) == REHEARSAL_PLATFORMS
