"""Import the parts of semantic-router the classifier uses without the provider SDKs its packages pull in.

semantic-router 1.1.1's package ``__init__`` files (``semantic_router``, ``.encoders``, ``.index``, ``.routers``)
import every encoder, index and decision model it ships, and with them Mistral's, Voyage's and Cohere's SDKs,
aiohttp, Pillow and LangChain: 2-3 s of the Route step's cold start for code it never calls. The classifier needs
four modules: ``routers.indexed``, ``index.local``, ``route`` and ``encoders.base``.

`skip_package_inits()` registers those four packages as empty packages (their real ``__path__``, not yet their
``__init__``), hands the two names that ``routers.indexed`` imports from ``encoders`` and ``index`` over from the
submodules that define them, and leaves the rest lazy: the first time anything asks one of these packages for a
name it lacks, the package runs its real ``__init__`` and answers. So ``import semantic_router`` elsewhere in the
process (a notebook, a test) still gets the whole package, only later.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import ModuleType

PACKAGES = ("semantic_router", "semantic_router.encoders", "semantic_router.index", "semantic_router.routers")
# package -> {name that `routers.indexed` imports from it: the submodule that defines it}
HANDED_OVER: dict[str, dict[str, str]] = {
    "semantic_router.encoders": {
        "DenseEncoder": "semantic_router.encoders.base",
        "SparseEncoder": "semantic_router.encoders.base",
    },
    "semantic_router.index": {
        "BaseIndex": "semantic_router.index.base",
        "LocalIndex": "semantic_router.index.local",
        "HybridLocalIndex": "semantic_router.index.hybrid_local",
    },
}

_lock = threading.Lock()


def skip_package_inits() -> None:
    """Make semantic-router's classifier modules importable without its package ``__init__`` files (idempotent;
    nothing to do when semantic-router has been imported already)."""
    with _lock:
        if PACKAGES[0] in sys.modules:
            return
        for name in PACKAGES:
            _install_deferred_package(name)
        for package, names in HANDED_OVER.items():
            for name, module_name in names.items():
                setattr(sys.modules[package], name, getattr(importlib.import_module(module_name), name))


def _install_deferred_package(name: str) -> ModuleType:
    """`name` as a package whose ``__init__`` runs on the first lookup of a name it does not have."""
    spec = importlib.util.find_spec(name)  # the parent is already in sys.modules: finding does not run it
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an installed package")
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        del module.__dict__["__getattr__"]
        loader.exec_module(module)  # the real __init__, in the module's own namespace
        return getattr(module, attribute)

    module.__dict__["__getattr__"] = complete
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module
