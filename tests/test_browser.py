"""The notebooks in JupyterLab and the dashboard in Voila, driven by a real headless chromium.

Debian's /usr/bin/chromium through Python Playwright (no browser download). Servers run on
127.0.0.1 in a temporary copy of notebooks/ + seeds/; every request to another host is
aborted and recorded, and the test fails if the page asked for one (offline: no CDN).
For each notebook: run all cells, check the charts render, select a single source in the
source filter, and check the status labels and the charts changed. Same for the dashboard.
Screenshots of failures go to $ANALYSTKIT_ARTIFACTS (default: pytest's tmp dir).
"""
from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, Offline, make_workdir, server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

if not CHROMIUM.exists():
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="python playwright not installed")

NOTEBOOKS = ["01_corpus.ipynb", "02_actors.ipynb", "03_statements.ipynb", "04_issues.ipynb",
             "05_compare.ipynb"]
RUN_TIMEOUT = 240_000  # ms, to run all cells of one notebook (2 busy cores in CI)
MIN_DASHBOARD_CHANGES = 7
VISIBLE_NB = ".jp-NotebookPanel:not(.lm-mod-hidden)"   # the notebook tab on show

# JS: a signature of every chart in a container (its SVG), to see that charts changed
CHART_SIGNATURE = """(root) => Array.from(document.querySelectorAll(root + ' .js-plotly-plot')).map(
    e => { const s = e.querySelectorAll('.main-svg'); return Array.from(s).map(x => x.innerHTML).join('|'); })"""
TRACE_COUNTS = """(root) => Array.from(document.querySelectorAll(root + ' .js-plotly-plot')).map(
    e => e.querySelectorAll('.trace, .hm, .heatmaplayer image').length)"""
STATUS = """(root) => Array.from(document.querySelectorAll(root + ' .ak-status-text')).map(e => e.textContent)"""
NB_ERRORS = """() => {
  const nb = window.jupyterapp.shell.currentWidget; const cells = nb.content.model.cells; const errs = [];
  for (let i = 0; i < cells.length; i++) { const c = cells.get(i);
    if (c.type !== 'code') continue;
    for (let j = 0; j < c.outputs.length; j++) { const o = c.outputs.get(j).toJSON();
      if (o.output_type === 'error') errs.push(`cell ${i}: ${o.ename}: ${o.evalue}`); } }
  return errs; }"""


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    d = Path(os.environ.get("ANALYSTKIT_ARTIFACTS") or tmp_path_factory.mktemp("browser-artifacts"))
    d.mkdir(parents=True, exist_ok=True)
    return d


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    return tmp, make_workdir(tmp)


@pytest.fixture(scope="module")
def browser(workdir):
    tmp, _ = workdir
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser, artifacts, request):
    """A page in a fresh context; on any failure inside the test, a full-page screenshot."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})  # fresh profile
    offline = Offline()
    ctx.route("**/*", offline)
    pg = ctx.new_page()
    pg.js_errors = []
    pg.on("pageerror", lambda exc: pg.js_errors.append(str(exc)))
    pg.offline = offline
    pg.shot = artifacts / f"{request.node.name.replace('/', '_')}.png"
    yield pg
    ctx.close()


@contextmanager
def screenshot_on_failure(page):
    try:
        yield
    except BaseException:
        try:
            page.screenshot(path=str(page.shot), full_page=True)
            print(f"screenshot saved: {page.shot}")
        except Exception as exc:  # the page may be gone
            print(f"no screenshot: {exc}")
        raise


@pytest.fixture(scope="module")
def lab(workdir):
    tmp, root = workdir
    with server("lab", root, tmp) as srv:
        yield srv


def _wait_changed(page, js, root, before, timeout=60):
    deadline = time.monotonic() + timeout
    now = before
    while time.monotonic() < deadline:
        now = page.evaluate(js, root)
        if now != before:
            return now
        time.sleep(0.25)
    return now


def _keep_screenshot(page, root, when):
    """With ANALYSTKIT_SCREENSHOTS=1, keep a picture of the panel (to look at the charts)."""
    if os.environ.get("ANALYSTKIT_SCREENSHOTS"):
        path = page.shot.with_name(f"{page.shot.stem}-{when}.png")
        try:
            page.locator(f"{root} .js-plotly-plot").first.scroll_into_view_if_needed(timeout=5000)
            page.screenshot(path=str(path), timeout=10_000)
        except Exception as exc:  # a picture is a bonus, not a test
            print(f"no screenshot {path}: {exc}")


def _first_source(page, root):
    select = page.locator(f"{root} .ak-source-filter select").first
    options = select.locator("option").all_inner_texts()
    assert len(options) >= 2, f"need two outlets to test filtering, got {options}"
    return select, options


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_runs_and_follows_the_source_filter(lab, page, notebook):
    with screenshot_on_failure(page):
        _run_notebook(lab, page, notebook)


def _run_notebook(lab, page, notebook):
    base, token = lab
    # ?reset: do not restore the tabs of the previous test from the server's workspace
    page.goto(f"{base}/lab/tree/{notebook}?reset&token={token}")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session"
        " && w.sessionContext.session.kernel && w.sessionContext.session.kernel.connectionStatus === 'connected'; }",
        timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; const cells = w.content.model.cells;"
        " let n = 0; for (let i = 0; i < cells.length; i++) { const c = cells.get(i);"
        "  if (c.type === 'code' && c.executionCount) n++; }"
        " return w.sessionContext.session.kernel.status === 'idle' && n > 0"
        f"  && document.querySelectorAll('{VISIBLE_NB} .ak-panel .js-plotly-plot .main-svg').length > 0; }}",
        timeout=RUN_TIMEOUT, polling=500)
    errors = page.evaluate(NB_ERRORS)
    assert not errors, f"{notebook} raised: {errors}"
    root = f"{VISIBLE_NB} .ak-panel"
    page.wait_for_function(
        f"() => Array.from(document.querySelectorAll('{root} .js-plotly-plot')).every("
        "e => e.querySelector('.main-svg'))", timeout=30_000)
    traces = page.evaluate(TRACE_COUNTS, root)
    assert traces and traces[0] > 0, f"first chart drew nothing: {traces}"
    status_before = page.evaluate(STATUS, root)
    charts_before = page.evaluate(CHART_SIGNATURE, root)
    assert status_before and "of" in status_before[0]

    _keep_screenshot(page, root, "before")
    select, options = _first_source(page, VISIBLE_NB)
    select.scroll_into_view_if_needed()
    select.select_option(label=options[0])          # one source only
    status_after = _wait_changed(page, STATUS, root, status_before)
    charts_after = _wait_changed(page, CHART_SIGNATURE, root, charts_before)
    assert status_after != status_before, f"status label did not follow the filter: {status_after}"
    assert f"1 of {len(options)} sources" in status_after[0]
    assert charts_after[0] != charts_before[0], "the first chart did not follow the filter"
    _keep_screenshot(page, root, "after")
    label = page.locator(f"{VISIBLE_NB} .ak-source-label").first.inner_text()
    assert label == f"1 of {len(options)} sources"
    assert not page.js_errors, page.js_errors
    assert not page.offline.blocked, f"page needed the internet: {page.offline.blocked}"
    # leave no kernel running behind
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.shutdown()")


def test_dashboard_in_voila(workdir, page):
    tmp, root_dir = workdir
    with server("voila", root_dir, tmp) as (base, token), screenshot_on_failure(page):
        page.goto(f"{base}/?token={token}", timeout=120_000)
        root = ".ak-dashboard"
        page.wait_for_function(
            f"() => document.querySelectorAll('{root} .ak-panel').length >= 4 && "
            f"Array.from(document.querySelectorAll('{root} .js-plotly-plot')).length >= 8 && "
            f"Array.from(document.querySelectorAll('{root} .js-plotly-plot')).every(e => e.querySelector('.main-svg'))",
            timeout=RUN_TIMEOUT, polling=500)
        traces = page.evaluate(TRACE_COUNTS, root)
        # the Voila trap: a FigureWidget filled after construction renders EMPTY
        assert traces[0] > 0 and sum(1 for t in traces if t > 0) >= len(traces) - 2, traces
        status_before = page.evaluate(STATUS, root)
        charts_before = page.evaluate(CHART_SIGNATURE, root)
        assert len(status_before) == 5  # corpus, actors, statements, issues, compare
        select, options = _first_source(page, root)
        select.select_option(label=options[-1])
        # the kernel updates the four panels one after the other: wait for all of them
        deadline = time.monotonic() + 60
        while True:
            status_after = page.evaluate(STATUS, root)
            charts_after = page.evaluate(CHART_SIGNATURE, root)
            changed = sum(a != b for a, b in zip(charts_after, charts_before))
            if (changed >= MIN_DASHBOARD_CHANGES and all(
                    a != b for a, b in zip(status_after, status_before))) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert all(a != b for a, b in zip(status_after, status_before)), status_after
        _keep_screenshot(page, root, "after")
        # articles, sizes, mentions, tone per speaker, per outlet, officials, heatmap (the
        # network may or may not change; distinctive terms do not depend on the filter)
        assert changed >= MIN_DASHBOARD_CHANGES, (
            f"only {changed} of {len(charts_after)} charts followed the filter")
        assert not page.js_errors, page.js_errors
        assert not page.offline.blocked, f"page needed the internet: {page.offline.blocked}"
