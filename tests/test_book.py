"""The rendered book: builds with warnings as errors, and works with no network.

The module builds the book once (``python tools/build_book.py . -W -n --keep-going``:
``jupyter-book build`` with the notebooks executed two at a time; the execution
cache makes a rebuild take seconds, and in a full test run it already holds the
chapters as tests/test_notebooks.py's nbval runs executed them, so only the
chapters with widgets execute here), then checks

- that no page loads a script, stylesheet, image or frame from another origin,
  and that every local file a page loads exists;
- that every chapter page has launch buttons (Binder, Colab) for its own
  notebook in the repository named in _config.yml, and hides the install cell;
- in headless Chromium, with every host name made unresolvable, that the
  math is typeset by MathJax, that animations and widgets come to life, and
  that no page logs an uncaught error (or a failed load) in the console.

The Chromium checks skip when ``chromium`` is missing; ``.ci/run`` installs it.
Set BOOK_SCREENSHOT_DIR to keep the screenshots (default: a pytest temp dir).
"""

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
NOTATION = HTML / "book" / "notation.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# From TOOLCHAIN.md, plus: every host name fails to resolve, so the page gets no network.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-size=1280,2000", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--virtual-time-budget=10000",
]
LOADING = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
           "video": "src", "audio": "src", "embed": "src"}


def jupyter_book():
    """``jupyter-book build`` as make book runs it, with the running Python (the project's venv)."""
    if importlib.util.find_spec("jupyter_book") is None:
        pytest.fail("jupyter-book is not installed for this Python: run `make test` (it creates .venv)")
    return [sys.executable, str(ROOT / "tools" / "build_book.py")]


@pytest.fixture(scope="module")
def book():
    """Build the book now (never reuse an old build) and return _build/html."""
    if not (ROOT / "_assets" / "manifest.json").is_file():
        pytest.fail("_assets/ is missing: run `make setup` (or `python tools/fetch_assets.py`) once "
                    "with network; the book serves MathJax and the widget scripts from it")
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "1")
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    run = subprocess.run([*jupyter_book(), ".", "-W", "-n", "--keep-going"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, f"book build failed (exit {run.returncode}):\n{(run.stdout + run.stderr)[-6000:]}"
    return HTML


class Loads(HTMLParser):
    """Collect the URLs a page loads (script src, link href, img src, ...) and its math elements."""

    def __init__(self):
        super().__init__()
        self.urls, self.math = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in LOADING and attrs.get(LOADING[tag]):
            self.urls.append((tag, attrs[LOADING[tag]]))
        if tag in ("span", "div") and "math" in (attrs.get("class") or "").split():
            self.math += 1


def loads(page):
    parser = Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def pages(html):
    """Every built page (not the theme's templates under _static)."""
    return sorted(p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_"))


def test_book_builds_clean(book):
    assert NOTATION.is_file() and (book / "index.html").is_file()


def test_no_page_loads_anything_from_another_origin(book):
    outside, missing = [], []
    for page in pages(book):
        for tag, url in loads(page).urls:
            parts = urlsplit(url)
            if parts.scheme == "data" or not (parts.scheme or parts.netloc or parts.path):
                continue  # embedded, or the page itself (href="#")
            if parts.scheme or parts.netloc:  # http:, https:, //cdn...
                outside.append(f"{page.relative_to(book)}: <{tag}> {url}")
            elif not (page.parent / parts.path).resolve().is_file():
                missing.append(f"{page.relative_to(book)}: <{tag}> {url}")
    assert not outside, "pages load from outside the book:\n" + "\n".join(outside)
    assert not missing, "pages load files that are not in _build/html:\n" + "\n".join(missing)


# Testing and linting markers that belong in cell metadata or tool configuration, never on a page.
MARKERS = re.compile(r"NBVAL_[A-Z_]+|#\s*noqa\b|#\s*type:\s*ignore|#\s*pragma:\s*no cover|#\s*doctest:")


def test_no_page_shows_a_testing_or_linting_marker(book):
    """A reader sees code cells as code: no ``# NBVAL_CHECK_OUTPUT``, no ``# noqa``."""
    found = []
    for page in pages(book):
        text = re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))  # the text a reader sees
        found += [f"{page.relative_to(book)}: {m.group(0)}" for m in MARKERS.finditer(text)]
    assert not found, "markers visible in the rendered book:\n" + "\n".join(found[:20])


def test_the_marker_check_would_catch_one():
    assert MARKERS.search("# NBVAL_CHECK_OUTPUT") and MARKERS.search("f = lambda x: x  # noqa: E731")
    assert not MARKERS.search("nbval-check-output is a tag")


def test_every_chapter_page_has_launch_buttons_for_its_notebook(book):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    repo = config["repository"]["url"].removeprefix("https://github.com/").strip("/")
    branch = config["repository"]["branch"]
    chapters = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert chapters
    for notebook in chapters:
        page = (book / "notebooks" / f"{notebook.stem}.html").read_text(encoding="utf-8")
        path = f"notebooks/{notebook.name}"
        for link in (f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{path}",
                     f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"):
            assert f'href="{link}"' in page, f"{notebook.stem}.html has no launch button {link}"
        assert "SKIPGRAM_LAB_PACKAGE" not in page, f"{notebook.stem}.html shows the install cell"


def test_mathjax_and_widget_scripts_are_served_locally(book):
    static = book / "_static"
    for name in ("mathjax/tex-mml-chtml.js", "mathjax/output/chtml/fonts/woff-v2/MathJax_Main-Regular.woff",
                 "mathjax/input/tex/extensions/ams.js", "requirejs/require.js", "jupyter-widgets/embed-amd.js"):
        assert (static / name).is_file(), f"_static/{name} missing: check html_static_path in _config.yml"
    notation = [url for _, url in loads(NOTATION).urls]
    assert any(url.startswith("../_static/mathjax/tex-mml-chtml.js") for url in notation), notation
    for page in pages(book):
        if "application/vnd.jupyter.widget-state+json" in page.read_text(encoding="utf-8"):
            urls = [url for _, url in loads(page).urls]
            for script in ("requirejs/require.js", "jupyter-widgets/embed-amd.js"):
                assert any(script in url for url in urls), f"{page.name} has widgets but does not load {script}"


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium); .ci/run installs it")
    return CHROMIUM


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = os.environ.get("BOOK_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screenshots")


def browse(chromium, page, *args, tmp):
    """Run headless Chromium on a built page with no network; return stdout."""
    profile = tmp / f"profile-{page.stem}-{len(list(tmp.iterdir()))}"
    run = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, f"chromium failed on {page}:\n{run.stderr[-3000:]}"
    return run.stdout


class VisibleText(HTMLParser):
    """Text a reader sees, outside scripts, styles, code and MathJax's own output."""

    SKIP = {"script", "style", "pre", "code", "mjx-container", "noscript", "textarea"}

    def __init__(self):
        super().__init__()
        self.depth, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


def test_math_is_typeset_offline(book, chromium, screenshots, tmp_path):
    dom = browse(chromium, NOTATION, "--dump-dom", tmp=tmp_path)
    typeset = dom.count("<mjx-container")
    expected = loads(NOTATION).math
    assert expected > 0, "the notation page has no math elements: did the page change?"
    assert typeset >= expected, f"MathJax typeset {typeset} of {expected} math elements (offline)"
    assert "<mjx-merror" not in dom, "MathJax reported a TeX error on the notation page"
    parser = VisibleText()
    parser.feed(dom)
    text = "".join(parser.text)
    for raw in ("$", "\\(", "\\)", "\\[", "\\]"):
        assert raw not in text, f"raw TeX {raw!r} left on the page: ...{text[text.find(raw) - 80:][:160]}..."

    png = screenshots / "notation.png"
    browse(chromium, NOTATION, f"--screenshot={png}", tmp=tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    print(f"screenshot: {png}")


def test_animations_play_offline(book, chromium, screenshots, tmp_path):
    animated = [p for p in pages(book) if "_anim_img" in p.read_text(encoding="utf-8")]
    if not animated:
        pytest.skip("no page has an animation yet (no `_anim_img` from to_jshtml in _build/html)")
    for page in animated:
        ids = set(re.findall(r'id="_anim_img([0-9a-f]{32})"', page.read_text(encoding="utf-8")))
        dom = browse(chromium, page, "--dump-dom", tmp=tmp_path)
        for anim in ids:
            # The player's script has run: the image shows a frame, and the frames are embedded.
            assert re.search(rf'<img[^>]*id="_anim_img{anim}"[^>]*src="data:image/', dom) or \
                re.search(rf'<img[^>]*src="data:image/[^"]*"[^>]*id="_anim_img{anim}"', dom), \
                f"{page.name}: animation {anim} shows no frame"
        assert len(re.findall(r'frames\[\d+\] = "data:image/', dom)) >= 2 * len(ids), \
            f"{page.name}: animation frames are not embedded as data: URIs"
        browse(chromium, page, f"--screenshot={screenshots / (page.stem + '.png')}", tmp=tmp_path)


def test_widgets_render_offline(book, chromium, tmp_path):
    with_widgets = [p for p in pages(book)
                    if "application/vnd.jupyter.widget-view+json" in p.read_text(encoding="utf-8")]
    if not with_widgets:
        pytest.skip("no page shows a widget yet (no saved widget views in _build/html)")
    for page in with_widgets:
        dom = browse(chromium, page, "--dump-dom", tmp=tmp_path)
        # The built page holds only the widgets' saved state; embed-amd.js turns it into elements.
        assert re.search(r'<div[^>]*class="[^"]*\bjupyter-widgets\b(?!-)[^"]*"', dom), \
            f"{page.name}: the saved widgets were not rendered (embed-amd.js did not run)"


# Console messages Chromium prints with --enable-logging=stderr --v=0:
# [pid:tid:time:INFO:CONSOLE:63] "Uncaught SyntaxError: ...", source: file:///.../page.html (63)
CONSOLE = re.compile(r':CONSOLE[(:]\d+\)?\] "(?P<message>.*)", source: (?P<source>.*)$', re.M)
CONSOLE_ERROR = re.compile(r"^(Uncaught\b|Failed to load resource)")


def console_errors(chromium, page, tmp):
    """The uncaught errors and failed loads a page logs in the browser console."""
    profile = tmp / f"console-{page.parent.name}-{page.stem}"
    run = subprocess.run([chromium, *CHROMIUM_FLAGS, "--enable-logging=stderr", "--v=0",
                          f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, f"chromium failed on {page}:\n{run.stderr[-3000:]}"
    return [f"{m['message']} ({m['source']})" for m in CONSOLE.finditer(run.stderr)
            if CONSOLE_ERROR.match(m["message"])]


def test_the_console_check_would_catch_an_uncaught_error(chromium, tmp_path):
    page = tmp_path / "twice.html"
    page.write_text("<html><body><script>const X = 1;</script><script>const X = 1;</script>"
                    "<script>Promise.reject(new TypeError('nope'));</script></body></html>")
    errors = console_errors(chromium, page, tmp_path)
    assert any("Identifier 'X' has already been declared" in e for e in errors), errors
    assert any(e.startswith("Uncaught (in promise) TypeError: nope") for e in errors), errors


def test_no_page_logs_an_uncaught_console_error(book, chromium, tmp_path):
    every = pages(book)
    assert len(every) > 10
    with ThreadPoolExecutor(2) as pool:  # two browsers at a time (two cores)
        found = dict(zip(every, pool.map(lambda page: console_errors(chromium, page, tmp_path), every)))
    found = {page.relative_to(book).as_posix(): errors for page, errors in found.items() if errors}
    assert not found, "console errors:\n" + "\n".join(f"{page}: {e}" for page, errors in found.items()
                                                      for e in errors)
