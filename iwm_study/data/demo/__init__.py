"""Synthetic demonstration dataset: enterprises, waste streams and facilities of Azerbaijan.

No public per-enterprise waste data exists for Azerbaijan, so the toolkit ships an invented
inventory that looks like one: about 600 enterprises in the 14 economic regions (most of them in
Baku, Absheron-Khizi and Ganja-Dashkasan), their waste streams coded with the European List of
Waste, and the recyclers, treatment plants, landfills and users of secondary materials that
receive them. Every number is invented; the tonnage-weighted fates are calibrated to the State
Statistical Committee's national shares for 2022.

The generator is seeded and deterministic: ``generate(seed)`` always returns the same tables and
``write(out_dir)`` the same bytes. Rebuild the committed copy with::

    python -m iwm_study.data.demo --out data/demo --seed 2021

The knowledge it encodes sits in the tables at the top of this module (regions, places, sector
profiles, waste entries, handling of each kind of waste, facilities); the functions below only
draw from them.

The package: the catalogues (``places``, ``sectors``, ``wastes``, ``facilities``), the draw
(``generate``) and the files (``write``, also ``python -m iwm_study.data.demo``).
"""

from __future__ import annotations

from .generate import DEFAULT_SEED, MIRROR_ASSESSMENT, generate, source_text
from .write import main, summary, write

__all__ = [
    "DEFAULT_SEED",
    "MIRROR_ASSESSMENT",
    "generate",
    "main",
    "source_text",
    "summary",
    "write",
]
