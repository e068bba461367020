"""Reproducible Industrial Waste Mapping (IWM) studies.

The package is imported by every notebook, so it stays light: heavy libraries (geopandas,
folium, papermill, nbconvert) are imported inside the functions that need them.
"""

import sys
from pathlib import Path


def _installed_version() -> str:
    """This package's version, from the name of its ``*.dist-info`` folder on ``sys.path``.

    ``importlib.metadata`` would find the same, but importing it (and the e-mail parser it
    reads METADATA with) costs a quarter of a second in every command and every kernel."""
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.is_dir():
            for info in folder.glob("iwm_study-*.dist-info"):
                return info.name.removeprefix("iwm_study-").removesuffix(".dist-info")
    return "0.0.0+unknown"  # running from a source tree that is not installed


__version__ = _installed_version()

__all__ = ["__version__"]
