"""The shipped package never imports the local toolkit, moto or the loopback stand-ins, not even lazily."""

from __future__ import annotations

import ast
from pathlib import Path

import office_assistant

SHIPPED = Path(office_assistant.__file__).resolve().parent
FORBIDDEN = ("office_assistant_local", "moto", "flask", "werkzeug", "llama_cpp", "torch", "sentence_transformers")
# The embedded adapters are shipped code that a deployed function never selects; they may import their engines.
EMBEDDED_ADAPTERS = {"adapters/embeddings/minilm.py": ("torch", "sentence_transformers")}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports anywhere in it: top level, inside functions, under TYPE_CHECKING."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names.update(arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return names


def test_shipped_package_imports_no_local_toolkit_moto_or_standins() -> None:
    offences = []

    for path in sorted(SHIPPED.rglob("*.py")):
        relative = path.relative_to(SHIPPED).as_posix()
        allowed = EMBEDDED_ADAPTERS.get(relative, ())
        for name in imported_modules(path):
            root = name.split(".")[0]
            if root in FORBIDDEN and root not in allowed:
                offences.append(f"{relative} imports {name}")

    assert offences == []


def test_import_walk_sees_lazy_imports(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text(
        "def f():\n    from office_assistant_local.engine import runner\n    import moto\n"
        "    importlib.import_module('office_assistant_local.standins')\n",
        encoding="utf-8",
    )

    assert imported_modules(module) == {"office_assistant_local.engine", "moto", "office_assistant_local.standins"}
