"""A PDF of every report: the reviewer's page printed on A4 by a headless browser of the machine.

Which browser: the program named by ``IWM_BROWSER`` (a path or a name on PATH) when that is set,
else the first of ``BROWSER_NAMES`` on PATH (Chromium, Chrome or Edge). With none, no PDF is
written and the index says so, with how to get one (:func:`find_browser`, :class:`Browser`).

How it is driven: one browser for a whole run, through the DevTools protocol over a websocket
(``websocket-client``, which Jupyter's server already needs), printing ``PRINTS_AT_ONCE`` pages
at a time. The command line ``--headless --print-to-pdf`` would start a browser for every report
and cannot wait for charts drawn by JavaScript; Playwright is a test-only dependency.

Each page is printed as a reader would want it:

* laid out at the printable width of A4 in print media before it loads, so charts drawn by
  JavaScript (Plotly) size themselves to the paper, and printed only once every chart has drawn,
  the fonts are loaded and the images decoded (``READY_JS``);
* with every request other than a local file blocked: a report works offline, and a tile server
  a map asks for would only slow printing and make the PDF differ from machine to machine (maps
  print as the static image the report carries in ``.iwm-print-only``);
* links to other local files (the index, another report) made plain text: in a PDF they would
  be absolute ``file:`` URLs naming this machine's folders, dead on any other and different
  for each folder the study is in; links within the report and to the web stay;
* A4, with the report's title and the page number at the foot of each page, headings as the
  PDF's outline (bookmarks) and a tagged PDF for screen readers; the page breaks (a section
  starts a page, tables whole where they fit) are the report template's print style.

The browser stamps the time into the PDF (creation and modification dates, and a document ID or
XMP metadata when it writes them); ``pdf_stamps.normalise`` sets them to fixed values of the same
length, so the file's cross-reference offsets stay right and a rerun writes the same bytes.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .pdf_stamps import normalise

if TYPE_CHECKING:
    from .plan import Job

#: A report's PDF: ``<scope>/<notebook>.pdf`` beside ``<scope>/<notebook>.html``.
PDF_SUFFIX = ".pdf"
#: The browser to print with: a path or a program name; when set, no other is looked for.
BROWSER_ENV = "IWM_BROWSER"
#: Looked for on PATH in this order when ``IWM_BROWSER`` is not set.
BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "msedge",
)
#: Pages printed at the same time by the one browser of a run (it shares the machine's cores
#: with the notebooks' kernels).
PRINTS_AT_ONCE = 2
#: A4 in millimetres, and the margins of a printed page (top, right, bottom, left).
A4_MM = (210.0, 297.0)
MARGINS_MM = (14.0, 12.0, 16.0, 12.0)
CSS_PX_PER_MM = 96 / 25.4
#: Longest wait for a page to load and draw, and for its PDF.
PAGE_TIMEOUT_S = 120.0
#: Longest wait for the browser to start and open its DevTools port.
START_TIMEOUT_S = 30.0

#: As the tests' browser and Puppeteer start it: no first-run work, no background traffic, no
#: throttling of pages printed side by side. ``--no-sandbox``: the pages are the run's own
#: reports with the network blocked, and a sandbox cannot start as root or in most containers.
BROWSER_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--hide-scrollbars",
    "--mute-audio",
    "--font-render-hinting=none",
)

#: Resolves when the page is ready to print: fonts loaded, images decoded, every Plotly chart
#: drawn (its layout computed, its SVG in place, no transition pending), links to local files
#: made text, then two frames painted. It stops waiting for charts after ``limit`` ms (a chart whose script failed never
#: draws) and gives the number of charts not drawn.
READY_JS = """
(async (limit) => {
  const frame = () => new Promise(r => { requestAnimationFrame(() => r()); setTimeout(r, 100); });
  const pause = ms => new Promise(r => setTimeout(r, ms));
  await document.fonts.ready;
  await Promise.all([...document.images].map(i => i.decode().catch(() => null)));
  const charts = () => [...document.querySelectorAll('.plotly-graph-div')];
  const drawn = el => !!(el._fullLayout && el.querySelector('svg.main-svg')
                         && !(el._transitionData && el._transitionData._frameQueue
                              && el._transitionData._frameQueue.length));
  const end = Date.now() + limit;
  while (typeof Plotly !== 'undefined' && charts().some(el => !drawn(el)) && Date.now() < end) {
    await pause(50);
  }
  // A link to a local file would be an absolute file: URL in the PDF, naming this machine's
  // folders and dead anywhere else: it becomes text. Links within the page and to the web stay.
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.href, location.href);
    const here = url.pathname === location.pathname && url.protocol === location.protocol;
    if (url.protocol === 'file:' && !(here && url.hash)) a.removeAttribute('href');
  }
  await frame(); await frame();
  return charts().filter(el => !drawn(el)).length;
})
"""
CHART_WAIT_MS = 20_000


class PrintError(RuntimeError):
    """A page could not be printed (the browser failed, crashed or did not answer in time)."""


@dataclass(frozen=True)
class Browser:
    """The browser a run prints with, or why there is none (``path`` None, ``reason`` says)."""

    path: str | None
    reason: str = ""
    #: The value of ``IWM_BROWSER`` when it was set (and so the only browser looked for).
    setting: str | None = None

    @property
    def found(self) -> bool:
        return self.path is not None


def find_browser(environ: dict[str, str] | None = None) -> Browser:
    """The browser to print with: ``IWM_BROWSER`` when set (a path, or a name looked up on
    PATH; nothing else is tried), else the first of ``BROWSER_NAMES`` on PATH."""
    env = os.environ if environ is None else environ
    chosen = env.get(BROWSER_ENV, "").strip()
    path_var = env.get("PATH")
    if chosen:
        found = shutil.which(chosen, path=path_var)
        if found is None and Path(chosen).is_file() and os.access(chosen, os.X_OK):
            found = chosen
        if found is None:
            reason = f"{BROWSER_ENV}={chosen} is not a program on this machine"
            return Browser(None, reason, chosen)
        return Browser(str(Path(found).resolve()), setting=chosen)
    for name in BROWSER_NAMES:
        found = shutil.which(name, path=path_var)
        if found:
            return Browser(found)
    return Browser(None, "no Chromium, Chrome or Edge on PATH")


# --- The PDF's bytes: the same on every run ---

# --- The browser: one for a run, driven through the DevTools protocol ---


class _DevTools:
    """One DevTools connection (the browser's or a page's): a command waits for its answer;
    the events that arrive meanwhile are kept when a caller may wait for them."""

    #: Events worth keeping; the rest (network, console) are dropped as they arrive.
    KEPT = ("Page.loadEventFired",)

    def __init__(self, url: str):
        try:
            import websocket
        except ImportError as exc:  # installed with Jupyter's server; a broken install lacks it
            raise PrintError("the Python package websocket-client is not installed") from exc
        try:
            # skip_utf8_validation: websocket-client checks UTF-8 in pure Python, seconds for
            # a PDF's megabytes of base64 (ASCII); json.loads rejects bad text anyway.
            self._ws = websocket.create_connection(
                url, timeout=10, suppress_origin=True, skip_utf8_validation=True
            )
        except (OSError, websocket.WebSocketException) as exc:
            raise PrintError(f"cannot reach the browser: {exc}") from exc
        self._next = 0
        self._events: list[dict[str, Any]] = []

    def call(self, method: str, deadline: float, **params: Any) -> dict[str, Any]:
        """Send ``method`` and return its result (PrintError on an error or past ``deadline``)."""
        import websocket

        self._next += 1
        ident = self._next
        try:
            self._ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        except (OSError, websocket.WebSocketException) as exc:
            raise PrintError(f"the browser closed the connection ({method}): {exc}") from exc
        while True:
            message = self._receive(method, deadline)
            if message.get("id") == ident:
                if "error" in message:
                    raise PrintError(f"{method}: {message['error'].get('message', message)}")
                return message.get("result", {})

    def wait_for(self, event: str, deadline: float) -> dict[str, Any]:
        """The next ``event`` (one of ``KEPT``), kept or still to come."""
        while True:
            for i, message in enumerate(self._events):
                if message.get("method") == event:
                    return self._events.pop(i)
            self._receive(event, deadline)

    def _receive(self, waiting_for: str, deadline: float) -> dict[str, Any]:
        import websocket

        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrintError(f"the browser did not answer in time ({waiting_for})")
            self._ws.settimeout(min(left, 5.0))
            try:
                message = json.loads(self._ws.recv())
            except websocket.WebSocketTimeoutException:
                continue
            except (OSError, ValueError, websocket.WebSocketException) as exc:
                raise PrintError(f"the browser closed the connection ({waiting_for})") from exc
            method = message.get("method")
            if method in ("Inspector.targetCrashed", "Inspector.detached"):
                raise PrintError(f"the page crashed or was closed ({waiting_for})")
            if method in self.KEPT:
                self._events.append(message)
            return message

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ws.close()


def _inches(mm: float) -> float:
    return mm / 25.4


#: The foot of every page: the report's title (the page's <title>) and 'page / pages'. No date:
#: the PDF is the same on every run. The header must be given, or the browser prints the date.
HEADER_TEMPLATE = "<span></span>"
FOOTER_TEMPLATE = (
    '<div style="font: 7pt system-ui, sans-serif; color: #555; width: 100%; '
    'margin: 0 12mm; display: flex; justify-content: space-between;">'
    '<span class="title"></span>'
    '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
)


def print_options() -> dict[str, Any]:
    """``Page.printToPDF``'s options: A4 portrait, the margins, backgrounds, the foot line, the
    outline from the headings and a tagged (accessible) PDF."""
    top, right, bottom, left = (_inches(m) for m in MARGINS_MM)
    return {
        "paperWidth": _inches(A4_MM[0]),
        "paperHeight": _inches(A4_MM[1]),
        "marginTop": top,
        "marginRight": right,
        "marginBottom": bottom,
        "marginLeft": left,
        "landscape": False,
        "printBackground": True,
        "preferCSSPageSize": False,
        "displayHeaderFooter": True,
        "headerTemplate": HEADER_TEMPLATE,
        "footerTemplate": FOOTER_TEMPLATE,
        "generateTaggedPDF": True,
        "generateDocumentOutline": True,
    }


def printable_width_px() -> int:
    """The width of A4 between the margins, in CSS pixels: the width pages are laid out at."""
    return round((A4_MM[0] - MARGINS_MM[1] - MARGINS_MM[3]) * CSS_PX_PER_MM)


class Printer:
    """One headless browser that prints pages to PDF, ``at_once`` at a time, in threads.

    Started on the first page (a run with nothing to print starts no browser); ``close`` waits
    for the pages asked for and stops it, ``abort`` drops those not begun and stops it at once.
    Use it as a context manager: leaving with an exception aborts.
    """

    def __init__(self, executable: str, at_once: int = PRINTS_AT_ONCE):
        self.executable = executable
        self._pool = ThreadPoolExecutor(max_workers=max(1, at_once), thread_name_prefix="iwm-pdf")
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._profile: str | None = None
        self._port: str | None = None
        self._browser: _DevTools | None = None
        self._start_error: PrintError | None = None
        self.started = False

    def __enter__(self) -> Printer:
        return self

    def __exit__(self, kind: Any, value: Any, traceback: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def submit(self, html: Path, dest: Path, staging: Path) -> Future[float]:
        """Print ``html`` into ``dest`` (written whole in ``staging``, then renamed into place)
        in the background; the future gives the seconds it took, or raises PrintError."""
        return self._pool.submit(self._print_file, html, dest, staging)

    def print_page(self, html: Path) -> bytes:
        """The PDF of the page ``html`` (normalised: the same page gives the same bytes)."""
        deadline = time.monotonic() + PAGE_TIMEOUT_S
        port = self._ensure_started()
        target = self._browser_call("Target.createTarget", deadline, url="about:blank")["targetId"]
        try:
            page = _DevTools(f"ws://127.0.0.1:{port}/devtools/page/{target}")
            try:
                return normalise(_print_in(page, html, deadline))
            finally:
                page.close()
        finally:
            with contextlib.suppress(PrintError):
                self._browser_call("Target.closeTarget", time.monotonic() + 10, targetId=target)

    def close(self) -> None:
        """Wait for every page asked for, then stop the browser."""
        self._pool.shutdown(wait=True)
        self._stop()

    def abort(self) -> None:
        """Drop the pages not begun, stop the browser (pages being printed fail), then wait."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._stop(kill=True)
        self._pool.shutdown(wait=True)

    def _print_file(self, html: Path, dest: Path, staging: Path) -> float:
        started = time.perf_counter()
        content = self.print_page(html)
        staging.mkdir(parents=True, exist_ok=True)
        staged = staging / dest.name
        staged.write_bytes(content)
        os.replace(staged, dest)
        return round(time.perf_counter() - started, 3)

    def _browser_call(self, method: str, deadline: float, **params: Any) -> dict[str, Any]:
        with self._lock:
            if self._browser is None:
                raise PrintError("the browser is not running")
            return self._browser.call(method, deadline, **params)

    def _ensure_started(self) -> str:
        with self._lock:
            if self._start_error is not None:
                raise self._start_error
            if self._port is None:
                try:
                    self._start()
                except PrintError as exc:
                    self._start_error = exc
                    raise
            assert self._port is not None
            return self._port

    def _start(self) -> None:
        """Start the browser with a throwaway profile and connect to its DevTools port (the
        browser picks a free one and writes it into the profile's ``DevToolsActivePort``)."""
        self._profile = tempfile.mkdtemp(prefix="iwm-pdf-browser.")
        args = [
            self.executable,
            *BROWSER_ARGS,
            "--remote-debugging-port=0",
            f"--user-data-dir={self._profile}",
            "about:blank",
        ]
        try:
            self._process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        except OSError as exc:
            raise PrintError(f"cannot start {self.executable}: {exc}") from exc
        self.started = True
        active = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self._process.poll() is not None:
                raise PrintError(
                    f"{self.executable} stopped at start (exit code {self._process.returncode})"
                )
            with contextlib.suppress(OSError):
                lines = active.read_text(encoding="utf-8").split()
                if len(lines) >= 2:
                    break
            if time.monotonic() > deadline:
                raise PrintError(f"{self.executable} did not open its DevTools port in time")
            time.sleep(0.05)
        self._port = lines[0]
        self._browser = _DevTools(f"ws://127.0.0.1:{lines[0]}{lines[1]}")

    def _stop(self, kill: bool = False) -> None:
        with self._lock:
            browser, self._browser = self._browser, None
            process, self._process = self._process, None
            self._start_error = self._start_error or PrintError("the browser was stopped")
        if browser is not None:
            if not kill:
                with contextlib.suppress(PrintError):
                    browser.call("Browser.close", time.monotonic() + 5)
            browser.close()
        if process is not None:
            if kill:
                process.kill()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._profile is not None:
            # the browser's helper processes may still write into it for a moment after it ends
            for _attempt in range(20):
                shutil.rmtree(self._profile, ignore_errors=True)
                if not os.path.exists(self._profile):
                    break
                time.sleep(0.1)
            self._profile = None


def _print_in(page: _DevTools, html: Path, deadline: float) -> bytes:
    """Load ``html`` in ``page`` laid out for A4 with the network blocked, wait until it has
    drawn, and print it."""
    width = printable_width_px()
    page.call("Page.enable", deadline)
    page.call("Network.enable", deadline)
    page.call(
        "Network.setBlockedURLs", deadline, urls=["http://*", "https://*", "ws://*", "wss://*"]
    )
    page.call(
        "Emulation.setDeviceMetricsOverride",
        deadline,
        width=width,
        height=round(width * A4_MM[1] / A4_MM[0]),
        deviceScaleFactor=1,
        mobile=False,
    )
    page.call("Emulation.setEmulatedMedia", deadline, media="print")
    navigated = page.call("Page.navigate", deadline, url=html.resolve().as_uri())
    if navigated.get("errorText"):
        raise PrintError(f"cannot open {html}: {navigated['errorText']}")
    page.wait_for("Page.loadEventFired", deadline)
    page.call(
        "Runtime.evaluate",
        deadline,
        expression=f"({READY_JS.strip()})({CHART_WAIT_MS})",
        awaitPromise=True,
        returnByValue=True,
    )
    result = page.call("Page.printToPDF", deadline, **print_options())
    return base64.b64decode(result["data"])


# --- A run's PDFs ---


def pdf_path(outputs: Path, scope: str, notebook: str) -> Path:
    """Where the PDF of ``<scope>/<notebook>.html`` is."""
    return outputs / scope / f"{notebook}{PDF_SUFFIX}"


def pdf_record(entry: dict[str, Any] | None) -> dict[str, Any]:
    """What the manifest entry of a job says of its PDF: ``{"key": the job key it was printed
    for, "error": why it could not be, "seconds": ...}``, or {} when none was printed."""
    record = (entry or {}).get("pdf")
    return record if isinstance(record, dict) else {}


def pdf_up_to_date(entry: dict[str, Any] | None, path: Path) -> bool:
    """True when ``path`` is the PDF of the report the entry describes: printed for the same
    job key as the report's, without error, and still there."""
    record = pdf_record(entry)
    return (
        bool(entry)
        and entry.get("status") == "ok"  # type: ignore[union-attr]
        and record.get("key") == entry.get("key")  # type: ignore[union-attr]
        and not record.get("error")
        and path.is_file()
    )


class RunPrinting:
    """The PDFs of one ``iwm run``: a report's PDF is printed as soon as its HTML is in
    place (:meth:`report_written`), and that of an up-to-date report whose PDF is missing or
    was printed for an earlier version is printed too (:meth:`catch_up`: after a run without a
    browser, or one interrupted between a report and its PDF). A report whose HTML is up to
    date and whose PDF was printed for it prints nothing, so a run with nothing to do prints
    nothing and starts no browser.

    Each PDF is written whole in ``staging`` and renamed into place. A job that fails prints
    nothing (its last good report and PDF stay); a report replaced while no PDF can be printed
    loses its old PDF, which no longer matches it. :meth:`finish` records each PDF in the
    manifest's entries (``pdf_record``).
    """

    def __init__(self, outputs: Path, staging: Path, browser: Browser | None = None):
        self.outputs, self.staging = outputs, staging
        self.browser = browser if browser is not None else find_browser()
        self._printer = Printer(self.browser.path) if self.browser.path else None
        self._pending: dict[str, tuple[Future[float], str, Path]] = {}
        self._handled: set[str] = set()  # the jobs whose report this run printed or left
        self.printed: list[str] = []
        self.failed: dict[str, str] = {}
        self.unprintable: list[str] = []

    def report_written(self, job: Job, status: str) -> None:
        """The job's files are in place: print its report (a success's only)."""
        if status == "ok":
            self._print(job)

    def catch_up(self, jobs: list[Job], entries: dict[str, Any]) -> None:
        """Print the PDFs that up-to-date reports among ``jobs`` lack (see the class)."""
        for job in jobs:
            entry = entries.get(job.id)
            if job.id in self._handled or not entry or entry.get("status") != "ok":
                continue
            if entry.get("key") != job.key:
                continue
            html = self.outputs / job.scope / f"{job.notebook}.html"
            record = pdf_record(entry)
            done = record.get("key") == job.key and (
                record.get("error") or pdf_path(self.outputs, job.scope, job.notebook).is_file()
            )
            if html.is_file() and not done:
                self._print(job)

    def _print(self, job: Job) -> None:
        self._handled.add(job.id)
        html = self.outputs / job.scope / f"{job.notebook}.html"
        target = pdf_path(self.outputs, job.scope, job.notebook)
        if self._printer is None:
            target.unlink(missing_ok=True)  # it shows an earlier report
            self.unprintable.append(job.id)
            return
        future = self._printer.submit(html, target, self.staging / job.scope)
        self._pending[job.id] = (future, job.key, target)

    def finish(self, entries: dict[str, Any]) -> bool:
        """Wait for every PDF, record each in ``entries`` and stop the browser; True when
        interrupted (Ctrl+C): the PDFs not printed are then left for the next run."""
        try:
            for job_id, (future, key, target) in list(self._pending.items()):
                try:
                    seconds = future.result()
                except PrintError as exc:
                    target.unlink(missing_ok=True)  # it shows an earlier report
                    self.failed[job_id] = str(exc)
                    record = {"key": key, "error": str(exc)}
                else:
                    self.printed.append(job_id)
                    record = {"key": key, "error": None, "seconds": seconds}
                if job_id in entries and entries[job_id].get("key") == key:
                    entries[job_id]["pdf"] = record
                del self._pending[job_id]
        except KeyboardInterrupt:
            self.abort()
            return True
        except BaseException:  # a machine fault writing a PDF: stop the browser, then report
            self.abort()
            raise
        if self._printer is not None:
            self._printer.close()
        return False

    def abort(self) -> None:
        """Stop at once: PDFs being printed are dropped (never half written)."""
        if self._printer is not None:
            self._printer.abort()

    def messages(self) -> list[str]:
        """One line for the terminal about the run's PDFs, when there is anything to say."""
        lines = []
        if self.printed:
            lines.append(f"Printed {len(self.printed)} PDF(s) with {self.browser.path}.")
        for job_id, error in sorted(self.failed.items()):
            lines.append(f"No PDF for {job_id}: {error}")
        if self.unprintable:
            lines.append(
                f"No PDF written for {len(self.unprintable)} report(s): {self.browser.reason}. "
                f"{INSTALL_HINT}"
            )
        return lines


#: How to get PDFs where no browser was found (the terminal's words; the index has its own).
INSTALL_HINT = (
    "Install Chromium (e.g. `apt install chromium`), Chrome or Edge, or set IWM_BROWSER to "
    "the browser's path, then run `iwm run` again: the PDFs are printed without rerunning "
    "the notebooks."
)
