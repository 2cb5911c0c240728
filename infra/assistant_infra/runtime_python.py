"""The runtime's Python on this machine: the layer is precompiled with it, and the rehearsal runs functions on it.

Lambda's python3.13 runtime mounts layers read-only under /opt, so it can never write the bytecode of a layer
shipped as source: every cold start would compile it again. The build therefore needs the very interpreter
version the runtime runs, and stops when this machine has none rather than ship a slow layer.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path


class RuntimePythonNotFoundError(RuntimeError):
    """No working interpreter of the runtime's Python version on this machine."""


def interpreter_version(interpreter: str | Path) -> str:
    """The "major.minor" a working interpreter reports; empty for a shim that fails or a broken install."""
    probe = "import sys; print('%d.%d' % sys.version_info[:2])"
    try:
        result = subprocess.run([str(interpreter), "-c", probe], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _pyenv_interpreter(version: str) -> Path | None:
    """pyenv's newest installed `version` (``pyenv prefix 3.13`` resolves 3.13 to e.g. 3.13.0)."""
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    result = subprocess.run([pyenv, "prefix", version], capture_output=True, text=True, check=False)
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return Path(result.stdout.strip().splitlines()[-1]) / "bin" / f"python{version}"


@cache
def find_runtime_python(version: str) -> Path:
    """A working `python<version>`: the one on PATH if it really is that version (pyenv's shim on PATH fails
    unless the version is activated), else pyenv's install of it. Raises with what to do when there is none."""
    candidates: list[Path] = []
    on_path = shutil.which(f"python{version}")
    if on_path is not None:
        candidates.append(Path(on_path))
    from_pyenv = _pyenv_interpreter(version)
    if from_pyenv is not None:
        candidates.append(from_pyenv)
    for candidate in candidates:
        if interpreter_version(candidate) == version:
            return candidate
    tried = ", ".join(str(candidate) for candidate in candidates) or "nothing on PATH, no pyenv"
    raise RuntimePythonNotFoundError(
        f"the layer is precompiled for the Lambda runtime's Python {version}, and this machine has no working "
        f"python{version} (tried: {tried}). Install it (`pyenv install {version}`, or your OS package) and run "
        "the synth again."
    )
