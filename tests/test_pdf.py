"""The reports' PDFs: found browser, A4 pages, a section per page, charts drawn before printing,
the same bytes on a rerun, written only when the report is, and the index that links them (or
says how to get them).

One small study is run once for the module (a national notebook made for printing and the mini
study's regional one); tests that change it work on a copy of the built study.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from conftest import CHROMIUM
from mini_study import make_mini_study, write_notebook

from iwm_study.cli import main
from iwm_study.runner import pdf
from iwm_study.runner.index import write_index
from iwm_study.runner.preflight import preflight

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: A4 in PostScript points (210 x 297 mm); Chromium rounds the paper to whole device pixels.
A4_PT = (210 / 25.4 * 72, 297 / 25.4 * 72)
TOP_MARGIN_PT = pdf.MARGINS_MM[0] / 25.4 * 72

LONG_TEXT = " ".join(["The section's text, long enough to fill part of a page."] * 12)
#: A stand-in for a Plotly chart that draws itself 0.7 s after the page has loaded: printing
#: must wait for it (its heading then shows in the PDF's outline).
LATE_CHART = (
    '<div class="plotly-graph-div" id="late-chart" style="height:120px"></div>'
    "<script>window.Plotly = window.Plotly || {};"
    "setTimeout(function () { var el = document.getElementById('late-chart');"
    ' el.innerHTML = \'<svg class="main-svg" width="10" height="10"></svg>'
    "<h3>Chart drawn</h3>'; el._fullLayout = {}; }, 700);</script>"
)
TWINS = (
    '<div class="iwm-screen-only"><h3>On screen only</h3></div>'
    '<div class="iwm-print-only"><h3>On paper only</h3></div>'
)
PRINT_CELLS = [
    ("md", "# Printing check\n\nA report made to be printed."),
    ("code", 'scope = "national"\ntitle = "National"\ndata_path = "data"', ["parameters"]),
    ("md", f"## First section\n\n{LONG_TEXT}"),
    ("code", f"from IPython.display import HTML\n\nHTML({TWINS!r})"),
    ("md", f"## Second section\n\n{LONG_TEXT}"),
    ("code", f"HTML({LATE_CHART!r})"),
    ("md", "## Third section\n\nThe end."),
]
STUDY_YAML = """\
title: Print study
data:
  inventory: data
  synthetic: true
notebooks:
  - name: n_print
    scope: national
  - name: n_region
execution:
  cell_timeout_s: 60
defaults:
  fail: false
  delay_s: 0.0
  die: false
"""
REPORTS = ("national/n_print", "ganja/n_region", "sumgayit/n_region")


def run(root: Path, *args: str) -> int:
    return main(["run", "--project", str(root), *args])


def parse_pdf(data: bytes) -> tuple[list[list[float]], list[tuple[str, int, float]]]:
    """The pages' MediaBoxes in page order, and the outline in reading order: (title, page
    number, y of the heading's top). Chromium (Skia) writes plain objects, so a few patterns read them."""
    objects = {
        int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)
    }
    root = objects[int(re.search(rb"/Root (\d+) 0 R", data).group(1))]
    order: list[int] = []

    def walk(number: int) -> None:
        body = objects[number]
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
        if b"/Type /Pages" in body and kids:
            for kid in re.findall(rb"(\d+) 0 R", kids.group(1)):
                walk(int(kid))
        else:
            order.append(number)

    walk(int(re.search(rb"/Pages (\d+) 0 R", root).group(1)))
    boxes = [
        [float(x) for x in re.search(rb"/MediaBox \[([^\]]*)\]", objects[n]).group(1).split()]
        for n in order
    ]
    outline = []
    for body in objects.values():
        dest = re.search(rb"/Dest \[(\d+) 0 R /XYZ [\d.]+ ([\d.]+)", body)
        title = re.search(rb"/Title (<[0-9A-Fa-f]+>|\((?:\\.|[^\\)])*\))", body)
        if dest and title and int(dest.group(1)) in order:
            raw = title.group(1)
            if raw.startswith(b"<"):
                text = bytes.fromhex(raw[1:-1].decode()).decode("utf-16")
            else:
                text = raw[1:-1].decode("latin-1")
            outline.append(
                (text.lstrip("\ufeff"), order.index(int(dest.group(1))) + 1, float(dest.group(2)))
            )
    return boxes, sorted(outline, key=lambda item: (item[1], -item[2]))  # in reading order


def outputs_of(root: Path) -> dict[str, bytes]:
    out = root / "outputs"
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and ".staging" not in p.parts
        # the data snapshot is keyed by the study's path: a copy writes its own
        and ".cache" not in p.parts
        and p.name not in ("manifest.json",)
        and not p.name.endswith(".lock")
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The print study, run once with the machine's Chromium."""
    assert Path(CHROMIUM).exists(), "Chromium is needed: apt-get install chromium"
    root = make_mini_study(tmp_path_factory.mktemp("pdf") / "study")
    (root / "parameters" / "study.yaml").write_text(STUDY_YAML, encoding="utf-8")
    write_notebook(root / "notebooks" / "n_print.ipynb", PRINT_CELLS)
    previous = os.environ.pop(pdf.BROWSER_ENV, None)
    try:
        os.environ[pdf.BROWSER_ENV] = CHROMIUM
        assert run(root) == 0
    finally:
        os.environ.pop(pdf.BROWSER_ENV, None)
        if previous is not None:
            os.environ[pdf.BROWSER_ENV] = previous
    return root


@pytest.fixture
def copy(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the built study to change (Chromium named by IWM_BROWSER)."""
    monkeypatch.setenv(pdf.BROWSER_ENV, CHROMIUM)
    return Path(shutil.copytree(built, tmp_path / "study"))


# --- the browser ------------------------------------------------------------------------------


def _program(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_browser_is_iwm_browser_else_the_first_on_path(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    edge = _program(bin_dir, "msedge")
    chrome = _program(bin_dir, "google-chrome")
    path = str(bin_dir)
    # on PATH: google-chrome comes before msedge in the order looked for
    assert pdf.find_browser({"PATH": path}) == pdf.Browser(str(chrome))
    # IWM_BROWSER wins, as a name on PATH or as a path
    assert pdf.find_browser({"PATH": path, "IWM_BROWSER": "msedge"}).path == str(edge)
    other = _program(tmp_path, "my-browser")
    assert pdf.find_browser({"PATH": path, "IWM_BROWSER": str(other)}).path == str(other)
    # a setting that names nothing: no browser, and no other is tried
    missing = pdf.find_browser({"PATH": path, "IWM_BROWSER": "/no/such/browser"})
    assert (missing.path, missing.setting) == (None, "/no/such/browser")
    assert pdf.find_browser({"PATH": str(tmp_path / "empty")}).path is None


# --- the bytes ---------------------------------------------------------------------------------


def test_the_stamped_times_and_ids_become_fixed_values_of_the_same_length() -> None:
    def document(date: bytes, ident: bytes, instance: bytes) -> bytes:
        return (
            b"%PDF-1.4\n1 0 obj\n<</Title (T)\n/CreationDate (D:"
            + date
            + b")\n/ModDate (D:"
            + date
            + b")>>\nendobj\n2 0 obj\n<</Type /Metadata>>stream\n<xmp:CreateDate>"
            b"2026-11-29T08:00:00+04:00</xmp:CreateDate><xmpMM:DocumentID>uuid:"
            + instance
            + b"</xmpMM:DocumentID>\nendstream\nendobj\ntrailer\n<</Size 3 /ID [<"
            + ident
            + b"> <"
            + ident
            + b">]>>\n%%EOF\n"
        )

    first = document(b"20261129073715+04'00'", b"0123456789ABCDEF" * 2, b"1b4e28ba-2fa1")
    second = document(b"20251231235959-05'00'", b"FEDCBA9876543210" * 2, b"9c0e1d2a-3b4c")
    one, two = pdf.normalise(first), pdf.normalise(second)
    assert one == two and len(one) == len(first)
    assert b"/CreationDate (D:20000101000000Z)      \n" in one
    assert b"<xmp:CreateDate>2000-01-01T00:00:00+00:00</xmp:CreateDate>" in one
    assert b"<xmpMM:DocumentID>uuid:00000000-0000</xmpMM:DocumentID>" in one
    assert b"0123456789ABCDEF" not in one


def test_the_same_report_prints_the_same_bytes(built: Path) -> None:
    report = built / "outputs" / "national" / "n_print.html"
    with pdf.Printer(CHROMIUM) as printer:
        first = printer.print_page(report)
        second = printer.print_page(report)
    assert first == second
    assert first == (built / "outputs" / "national" / "n_print.pdf").read_bytes()
    assert b"/CreationDate (D:20000101000000Z)" in first


# --- what is printed ---------------------------------------------------------------------------


def test_every_report_has_an_a4_pdf(built: Path) -> None:
    out = built / "outputs"
    for report in REPORTS:
        boxes, _outline = parse_pdf((out / f"{report}.pdf").read_bytes())
        assert boxes, report
        for box in boxes:
            assert box[:2] == [0.0, 0.0]
            assert abs(box[2] - A4_PT[0]) < 1.0 and abs(box[3] - A4_PT[1]) < 1.0, box
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for report in REPORTS:
        entry = manifest["jobs"][report]
        assert entry["pdf"]["key"] == entry["key"] and entry["pdf"]["error"] is None


def test_each_section_starts_a_page_and_charts_are_drawn_first(built: Path) -> None:
    boxes, outline = parse_pdf((built / "outputs" / "national" / "n_print.pdf").read_bytes())
    titles = [title for title, _page, _y in outline]
    # the report's header, the notebook's headings, the print twin (not the screen one), the
    # chart's heading drawn 0.7 s after the page loaded, and the provenance footer
    assert titles == [
        "Print study: national: N print",
        "Printing check",
        "First section",
        "On paper only",
        "Second section",
        "Chart drawn",
        "Third section",
        "Provenance",
    ]
    where = {title: (page, y) for title, page, y in outline}
    content_top = boxes[0][3] - TOP_MARGIN_PT
    sections = ["First section", "Second section", "Third section", "Provenance"]
    pages = [where[s][0] for s in sections]
    assert pages == sorted(set(pages)) and pages[0] == 2  # each on a page of its own
    for section in sections:
        assert content_top - 50 < where[section][1] <= content_top, section  # at the top
    assert where["On paper only"][0] == where["First section"][0]


# --- when PDFs are written ---------------------------------------------------------------------


def test_a_run_with_nothing_to_do_prints_nothing(copy: Path, capsys) -> None:
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in copy.rglob("*.pdf")}
    assert len(before) == len(REPORTS)
    capsys.readouterr()
    assert run(copy) == 0
    out = capsys.readouterr().out
    assert "Nothing to do" in out and "Printed" not in out
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in copy.rglob("*.pdf")} == before


def _first_difference(a: bytes, b: bytes) -> str:
    """Where two files first differ, with the bytes around it (what a failure should show)."""
    at = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return f"offset {at} of {len(a)}/{len(b)}: {a[max(at - 60, 0) : at + 60]!r} != {b[max(at - 60, 0) : at + 60]!r}"


def test_a_forced_rerun_writes_the_same_pdfs(copy: Path) -> None:
    before = outputs_of(copy)
    assert run(copy, "--force") == 0
    after = outputs_of(copy)
    before.pop("index.html")  # it shows each job's duration
    after.pop("index.html")
    assert sorted(after) == sorted(before)
    differ = {n: _first_difference(before[n], after[n]) for n in after if after[n] != before[n]}
    assert differ == {}


def test_a_failed_job_keeps_its_last_good_pdf(copy: Path) -> None:
    good = (copy / "outputs" / "ganja" / "n_region.pdf").read_bytes()
    path = copy / "parameters" / "regions" / "ganja.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "parameters:\n  fail: true\n", "utf-8")
    assert run(copy) == 1
    assert (copy / "outputs" / "ganja" / "n_region.pdf").read_bytes() == good
    assert not list((copy / "outputs").rglob("*.failed.pdf"))
    index = (copy / "outputs" / "index.html").read_text(encoding="utf-8")
    cell = index[index.index('id="job-ganja-n_region"') :].split("</td>")[0]
    assert 'href="ganja/n_region.pdf">last good PDF</a>' in cell


def test_without_a_browser_the_index_says_how_then_a_later_run_prints(
    copy: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv(pdf.BROWSER_ENV, str(copy / "no-such-browser"))
    assert run(copy, "--force", "--region", "ganja") == 0
    out = copy / "outputs"
    # the new report has no PDF (the old one showed the earlier report); the others keep theirs
    assert not (out / "ganja" / "n_region.pdf").exists()
    assert (out / "sumgayit" / "n_region.pdf").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    banner = index[index.index('id="banner-no-pdf"') :].split("</div>")[0]
    assert "No PDFs of the reports." in banner
    assert f"<code>{pdf.BROWSER_ENV}</code> names <code>{copy / 'no-such-browser'}</code>" in banner
    assert "<code>apt install chromium</code>" in banner
    cell = index[index.index('id="job-ganja-n_region"') :].split("</td>")[0]
    assert 'href="#banner-no-pdf"' in cell and ">no PDF</a>" in cell and ".pdf" not in cell
    # with a browser again: the missing PDF is printed, no notebook runs
    monkeypatch.setenv(pdf.BROWSER_ENV, CHROMIUM)
    capsys.readouterr()
    assert run(copy) == 0
    assert "Printed 1 PDF(s)" in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run"]["executed"] == []
    assert (out / "ganja" / "n_region.pdf").read_bytes().startswith(b"%PDF-")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'id="banner-no-pdf"' not in index
    assert index.count('.pdf">PDF</a>') == len(REPORTS)


def test_the_index_is_in_the_study_language(copy: Path) -> None:
    study = copy / "parameters" / "study.yaml"
    study.write_text("language: az\n" + study.read_text(encoding="utf-8"), encoding="utf-8")
    pre = preflight(copy, None, None, None)
    assert pre.ok and pre.project is not None and pre.plan is not None
    out = copy / "outputs"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    write_index(pre.project, pre.plan, manifest, out, None, pre, pdf.Browser(None, "none"))
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="az">' in index
    assert "<h2>Hesabatlar</h2>" in index and "Hesabatların PDF-i yoxdur." in index
    assert "Reports" not in index and "No PDFs" not in index and "up to date" not in index
    assert re.search(r'<span class="meta">\d+ san</span>', index)  # a job's seconds
