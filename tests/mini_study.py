"""A tiny study project for runner tests: two regions, a national and a regional notebook.

The notebooks import nothing heavy so that a whole run takes seconds; one parameter, ``fail``,
makes the regional notebook raise, for the failure tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from conftest import GOOD, write_tables
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

STUDY_YAML = """\
title: Mini study
data:
  inventory: data
  synthetic: true
notebooks:
  - name: n_national
    scope: national
  - name: n_region
execution:
  cell_timeout_s: 60
defaults:
  fail: false
  delay_s: 0.0
  die: false
"""

REGIONS = {
    "ganja": "economic_region: Ganja-Dashkasan\ntitle: Ganja pilot\n",
    "sumgayit": "economic_region: Absheron-Khizi\ntitle: Sumgayit pilot\n",
}

NATIONAL_CELLS = [
    ("md", "# National overview\n\nMarker text of the national notebook."),
    ("code", 'scope = "national"\ntitle = "National"\ndata_path = "data"', ["parameters"]),
    (
        "code",
        'import csv\n\nwith open(f"{data_path}/enterprises.csv", encoding="utf-8") as fh:\n    rows = list(csv.DictReader(fh))\nprint(len(rows), "enterprises")',
    ),
    (
        "code",
        'from iwm_study.report import record_figure\n\nrecord_figure("enterprises", len(rows), "Enterprises in the data")',
    ),
]

REGION_CELLS = [
    ("md", "# Regional sheet\n\nMarker text of the regional notebook."),
    (
        "code",
        'scope = "ganja"\neconomic_region = "Ganja-Dashkasan"\ntitle = "Ganja"\ndata_path = "data"\nfail = False\ndelay_s = 0.0\ndie = False',
        ["parameters"],
    ),
    (
        "code",
        'import os\nimport signal\nimport time\n\ntime.sleep(delay_s)\nif fail:\n    raise RuntimeError(f"deliberate failure in {scope}")\nif die:  # kill the worker process that runs this kernel\n    os.kill(os.getppid(), signal.SIGKILL)',
    ),
    (
        "code",
        'from iwm_study.report import record_figure\n\nrecord_figure("name_length", len(economic_region), "Letters in the region name")\nprint("region:", economic_region)',
    ),
    # a styled table and a chart: both must render to the same bytes on every run
    (
        "code",
        'import pandas as pd\nfrom iwm_study.report import table\n\nframe = pd.DataFrame({"letter": list(economic_region[:4]), "n": [1, 2, 3, 4]})\ntable(frame, {"n": "{:,.1f}"})',
    ),
    (
        "code",
        'import matplotlib.pyplot as plt\n\nfig, ax = plt.subplots(figsize=(3, 2), dpi=72)\nax.bar(frame["letter"], frame["n"])\nplt.show()',
    ),
]


def write_notebook(path: Path, cells: list[tuple]) -> None:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    out = []
    for i, (kind, source, *tags) in enumerate(cells):
        cell = new_markdown_cell(source) if kind == "md" else new_code_cell(source)
        cell["id"] = f"{path.stem}-{i}"
        if tags:
            cell.metadata["tags"] = tags[0]
        out.append(cell)
    nb.cells = out
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def make_mini_study(root: Path) -> Path:
    """Write the mini study into ``root`` and return it."""
    (root / "parameters" / "regions").mkdir(parents=True, exist_ok=True)
    (root / "parameters" / "study.yaml").write_text(STUDY_YAML, encoding="utf-8")
    for slug, text in REGIONS.items():
        (root / "parameters" / "regions" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    write_notebook(root / "notebooks" / "n_national.ipynb", NATIONAL_CELLS)
    write_notebook(root / "notebooks" / "n_region.ipynb", REGION_CELLS)
    write_tables(root / "data", GOOD)
    return root
