"""Public names imported on first use, so ``import casuistry`` stays quick.

Examples
--------
>>> getattr_, dir_, all_ = attach("demo", {"sqrt": "math"})
>>> getattr_("sqrt")(9.0)
3.0
>>> all_
['sqrt']
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping


def attach(
    package: str, names: Mapping[str, str], *, modules: Iterable[str] = ()
) -> tuple[Callable[[str], object], Callable[[], list[str]], list[str]]:
    """``__getattr__``, ``__dir__`` and ``__all__`` for a package with lazy names.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : mapping
        Public name to the module that defines it.
    modules : iterable of str, keyword-only
        Submodules of ``package`` that are public themselves.
    """
    modules = tuple(modules)
    public = sorted([*names, *modules])

    def __getattr__(name: str):
        if name in modules:
            return importlib.import_module(f"{package}.{name}")
        try:
            module = names[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module), name)
        if package in sys.modules:  # keep it: later look-ups are plain attributes
            setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        own = vars(sys.modules[package]) if package in sys.modules else {}
        return sorted(set(own) | set(public))

    return __getattr__, __dir__, public
