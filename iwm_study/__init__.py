"""Reproducible Industrial Waste Mapping (IWM) studies.

The package is imported by every notebook, so it stays light: heavy libraries (geopandas,
folium, papermill, nbconvert) are imported inside the functions that need them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("iwm-study")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
