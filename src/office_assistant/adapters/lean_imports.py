"""Import the parts of a library an adapter uses without the package ``__init__`` files that import all of it.

Some SDKs import everything they have in their package ``__init__`` files, so that any import of any of their
modules costs the whole library: semantic-router 1.1.1 pulls in every provider SDK it supports (Mistral, Voyage,
Cohere, aiohttp, Pillow, LangChain; 2-3 s), openai every type and resource of the whole API (about 0.8 s of CPU
here, for a function that only embeds). That is cold-start time for code a function never calls.

`defer_package_inits(...)` registers such packages as deferred packages: their real ``__path__``, so their
submodules import as usual, but not yet their ``__init__``. The first time anything asks a deferred package for a
name it lacks (that is not one of its submodules), the package runs its real ``__init__`` in its own namespace and
answers. So code that later uses the library the ordinary way (``openai.OpenAI``, ``import semantic_router``)
still gets the whole package, only later. A package that is already imported is left as it is.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from types import ModuleType

_lock = threading.Lock()


def defer_package_inits(*packages: str) -> bool:
    """Defer the ``__init__`` of `packages` (parents first); False, and nothing done, when the first is imported."""
    with _lock:
        if packages[0] in sys.modules:
            return False
        for name in packages:
            if name not in sys.modules:
                _install_deferred_package(name)
        return True


def _install_deferred_package(name: str) -> ModuleType:
    """`name` as a package whose ``__init__`` runs on the first lookup of a name it does not have."""
    spec = importlib.util.find_spec(name)  # the parent is already in sys.modules: finding does not run it
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{name} is not an installed package")
    module = importlib.util.module_from_spec(spec)
    loader = spec.loader

    def complete(attribute: str) -> Any:
        if attribute.startswith("__") or importlib.util.find_spec(f"{name}.{attribute}") is not None:
            raise AttributeError(attribute)  # a submodule: `from package import submodule` imports just that
        del module.__dict__["__getattr__"]
        loader.exec_module(module)  # the real __init__, in the module's own namespace
        return getattr(module, attribute)

    module.__dict__["__getattr__"] = complete
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)
    return module
