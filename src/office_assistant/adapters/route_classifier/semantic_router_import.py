"""semantic-router's router, index, route and encoder base, without the provider SDKs its packages import.

semantic-router 1.1.1's package ``__init__`` files (``semantic_router``, ``.encoders``, ``.index``, ``.routers``)
import every encoder, index and decision model it ships, and with them Mistral's, Voyage's and Cohere's SDKs,
aiohttp, Pillow and LangChain: 2-3 s of the Route step's cold start for code it never calls. The classifier needs
four modules: ``routers.indexed``, ``index.local``, ``route`` and ``encoders.base``. `skip_package_inits()` defers
the four packages' ``__init__`` (`lean_imports`) and hands over the names that ``routers.indexed`` imports from
``encoders`` and ``index`` from the submodules that define them.
"""

from __future__ import annotations

import importlib
import sys

from office_assistant.adapters.lean_imports import defer_package_inits

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


def skip_package_inits() -> None:
    """Make the classifier's semantic-router modules importable without the package ``__init__`` files
    (idempotent; nothing to do when semantic-router has been imported already)."""
    if not defer_package_inits(*PACKAGES):
        return
    for package, names in HANDED_OVER.items():
        for name, module_name in names.items():
            setattr(sys.modules[package], name, getattr(importlib.import_module(module_name), name))
