"""Names of a package loaded on first use (PEP 562), so that importing the package stays light.

``iwm_study.data`` and ``iwm_study.scoring`` offer many names from heavy modules (pandas, numpy,
geopandas); their ``__init__`` lists where each name lives and lets this module load it when it
is first used: ``__getattr__, __dir__ = lazy_exports(__name__, EXPORTS, globals())``.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy_exports(
    package: str, exports: dict[str, str], namespace: dict[str, Any]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``: ``exports`` maps a name to the module
    it lives in, relative to the package (``"study"``, or ``"..config"`` for a sibling); a name
    once loaded is kept in ``namespace``, so later look-ups do not come back here."""

    def __getattr__(name: str) -> Any:
        if name in exports:
            where = exports[name]
            value = getattr(
                import_module(where if where.startswith(".") else f".{where}", package), name
            )
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
