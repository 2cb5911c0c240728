"""The rehearsal's pieces against the real runtime interface client, on the runtime's Python (3.13).

They need what `office-assistant rehearse` builds once (the runtime folder: awslambdaric and boto3 for 3.13) and
pyenv's 3.13; without them they are skipped, never passed: the tests download nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from office_assistant_local.rehearsal.artifacts import ArtifactError, runtime_path, runtime_python
from office_assistant_local.rehearsal.process import Sandbox

if TYPE_CHECKING:
    from collections.abc import Callable


@pytest.fixture(scope="session")
def interpreter() -> Path:
    try:
        return runtime_python()
    except ArtifactError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="session")
def runtime_dir() -> Path:
    path = runtime_path()
    if not path.exists():
        pytest.skip(f"no runtime folder at {path}: run `office-assistant rehearse` once to build it")
    return path


@pytest.fixture
def make_sandbox(tmp_path: Path, interpreter: Path, runtime_dir: Path) -> Callable[..., Sandbox]:
    """A function whose handler.py is `source`, on an empty layer unless `layer_dir` is given."""

    def make(
        source: str, *, environment: dict[str, str] | None = None, layer_dir: Path | None = None, **more: object
    ) -> Sandbox:
        code = tmp_path / "task"
        code.mkdir(exist_ok=True)
        (code / "handler.py").write_text(source, encoding="utf-8")
        layer = layer_dir or tmp_path / "opt"
        (layer / "python").mkdir(parents=True, exist_ok=True)
        return Sandbox(
            name=str(more.get("name", "probe")),
            handler=str(more.get("handler", "handler.lambda_handler")),
            code_dir=Path(str(more.get("code_dir", code))),
            layer_dir=layer,
            runtime_dir=runtime_dir,
            interpreter=interpreter,
            environment=environment or {},
            memory_mb=512,
            timeout_s=float(str(more.get("timeout_s", 10))),
        )

    return make
