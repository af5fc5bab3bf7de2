"""Benchmark: the whole analystkit pipeline against two tokens-only peers, one process each.

    .venv/bin/python benchmarks/bench.py --sizes 2000 10000 --work /tmp/ak-bench \
        [--engines analystkit nltk spacy] [--interactive] [--dask] [--json out.json]

For every size N the script generates the synthetic corpus (``generate_corpus.py``, fixed
seed) and then runs each engine in a *fresh Python process* (``bench.py --child ENGINE``),
one after the other, so every number includes interpreter start, imports and reading the
files, and the peak memory is that process's own (``os.wait4`` rusage ``ru_maxrss``):

* ``analystkit`` — ``ak.load_corpus(folder, cache=False)`` and every frame of the pipeline:
  articles, problems, paragraphs, sentences, tokens, mentions, statements with sentiment,
  issue hits, coverage. The comparison frames (statement groups, syndication, near
  duplicates, sourcing profile) are computed afterwards in the same process, timed per
  frame, and subtracted from the wall time (reported, not part of the ratio).
* ``nltk``       — Punkt sentences + ``NLTKWordTokenizer`` per sentence -> tokens frame.
* ``spacy``      — ``spacy.blank("en")`` + ``sentencizer`` -> tokens frame.
* ``dask``       — (``--dask``) ``analystkit.scale.export_dask`` on a LocalCluster with
  2 workers, writing Parquet; peak memory of the driver and of the largest worker.

Words are counted once per corpus (whitespace split of the files) and divided by each
process's wall time, so words/second are comparable across engines. Ratios are computed
from the same run. ``--interactive`` additionally times, in the analystkit process, the
source-filter callback of the notebooks (``Corpus.filter`` + the widget refresh).

Nothing here asserts timings; the test suite never does.
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import platform
import resource
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


# --------------------------------------------------------------------------- children
def _emit(result: dict) -> None:
    result["child_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("BENCH-RESULT " + json.dumps(result), flush=True)


def _frame_bytes(df) -> int:
    return int(df.memory_usage(deep=True, index=True).sum())


# the whole pipeline as issue 7 defines it; the cross-outlet comparison frames (issue 8) are
# timed after it, reported separately and not counted in the ratio against the peers
PIPELINE = ["articles", "paragraphs", "sentences", "tokens", "mentions", "statements",
            "issue_hits", "coverage"]
COMPARE = ["statement_groups", "syndication", "near_duplicates", "sourcing_profile"]


def child_analystkit(corpus: str, interactive: bool) -> dict:
    t0 = time.perf_counter()
    import analystkit as ak
    t_import = time.perf_counter() - t0
    t1 = time.perf_counter()
    c = ak.load_corpus(corpus, cache=False)
    stages = {"load_corpus": time.perf_counter() - t1}
    # frames are computed lazily and once; touching them in data-flow order times each stage
    for name in PIPELINE:
        t = time.perf_counter()
        getattr(c, name)
        stages[name] = time.perf_counter() - t
    t_pipeline = time.perf_counter() - t1
    frames = c.frames(["articles", "problems", *PIPELINE[1:]])
    tokens = frames["tokens"]
    res = {
        "engine": "analystkit",
        "import_s": t_import,
        "compute_s": t_pipeline,
        "stage_s": {k: round(v, 3) for k, v in stages.items()},
        "rows": {k: int(len(v)) for k, v in frames.items()},
        "tokens_mb": _frame_bytes(tokens) / 1e6,
        "tokens_dtypes": {k: str(v) for k, v in tokens.dtypes.items()},
        "frames_mb": {k: round(_frame_bytes(v) / 1e6, 2) for k, v in frames.items()},
        # peak memory of the pipeline itself, before the comparison frames and the
        # (optional) interactive timings
        "pipeline_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    del frames, tokens
    t = time.perf_counter()
    compare = {}
    for name in COMPARE:
        tc = time.perf_counter()
        compare[name] = int(len(getattr(c, name)))
        res["stage_s"][name] = round(time.perf_counter() - tc, 3)
    res["compare_s"] = time.perf_counter() - t
    res["rows"].update(compare)
    res["compare_maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    res["extra_s"] = res["compare_s"]                  # subtracted from the wall time
    if interactive:
        t = time.perf_counter()
        res["interactive"] = interactive_timings(c)
        res["extra_s"] += time.perf_counter() - t
    return res


def interactive_timings(c, repeats: int = 5) -> dict:
    """Time changing the source (outlet) filter, the way the notebooks do it.

    Builds the notebook panels once (``analystkit.widgets``: Corpus, Actors, Statements,
    Issues, Compare), then for ``repeats - 1`` single outlets, half and all of the outlets times each panel's ``update(outlets)``
    (the callback a filter change runs: figures, tables, labels) and, separately,
    ``Corpus.filter(outlet=...)`` with the filtered frames materialized.
    """
    import statistics

    from analystkit import widgets

    outlets_all = list(c.articles["outlet"].value_counts().index)
    # the largest outlets one at a time, then half of all outlets, then all of them (the
    # worst cases: the most rows to subset and the most outlets to draw)
    selections = ([(o,) for o in outlets_all[:repeats - 1]]
                  + [tuple(outlets_all[: len(outlets_all) // 2]), tuple(outlets_all)])
    res: dict = {"selections": len(selections)}
    t = time.perf_counter()
    board = widgets.dashboard(c)
    res["dashboard_build_s"] = round(time.perf_counter() - t, 3)
    per_panel: dict[str, list[float]] = {name: [] for name in board.panels}
    totals = []
    # every selection is applied `tries` times in a row and its median kept: a shared VM
    # adds 50-100 ms spikes to single samples (collector, other jobs)
    tries = 3
    for sel in selections:
        tot = 0.0
        for name, panel in board.panels.items():
            samples = []
            for _ in range(tries):
                t = time.perf_counter()
                panel.update(sel)
                samples.append(time.perf_counter() - t)
            dt = statistics.median(samples)
            per_panel[name].append(dt)
            tot += dt
        totals.append(tot)
    res["per_selection_ms"] = {name: [round(1000 * v, 1) for v in vals] for name, vals in per_panel.items()}
    res["selection_sizes"] = [len(s) for s in selections]
    # the real path: setting the shared filter fires every panel's observer
    t = time.perf_counter()
    board.source.value = selections[0]
    res["source_value_all_panels_ms"] = round(1000 * (time.perf_counter() - t), 1)
    res["panel_update_ms_median"] = {k: round(1000 * statistics.median(v), 1) for k, v in per_panel.items()}
    res["panel_update_ms_max"] = {k: round(1000 * max(v), 1) for k, v in per_panel.items()}
    res["all_panels_ms_median"] = round(1000 * statistics.median(totals), 1)
    res["all_panels_ms_max"] = round(1000 * max(totals), 1)
    times_filter = []
    for sel in selections[:repeats - 1]:
        t = time.perf_counter()
        sub = c.filter(outlet=sel[0])
        _ = (sub.articles, sub.sentences, sub.tokens, sub.mentions, sub.statements,
             sub.issue_hits, sub.coverage)
        times_filter.append(time.perf_counter() - t)
    res["corpus_filter_ms_median"] = round(1000 * statistics.median(times_filter), 1)
    res["corpus_filter_ms_max"] = round(1000 * max(times_filter), 1)
    return res


def child_peer(engine: str, corpus: str) -> dict:
    t0 = time.perf_counter()
    import peers
    ids, texts = peers.read_texts(corpus)
    fn = peers.nltk_tokens if engine == "nltk" else peers.spacy_tokens
    tokens = fn(ids, texts)
    return {"engine": engine, "compute_s": time.perf_counter() - t0,
            "rows": {"tokens": int(len(tokens))}, "tokens_mb": _frame_bytes(tokens) / 1e6,
            "tokens_dtypes": {k: str(v) for k, v in tokens.dtypes.items()}}


def child_dask(corpus: str, out: str, npartitions: int | None) -> dict:
    t0 = time.perf_counter()
    from analystkit import scale
    res: dict = {"engine": "dask"}
    path = scale.export_dask(corpus, out, npartitions=npartitions, _report=res)
    res["compute_s"] = time.perf_counter() - t0
    res["out"] = str(path)
    return res


# --------------------------------------------------------------------------- parent
def run_child(args: list[str], timeout: float) -> dict:
    """Run ``bench.py --child ...`` in a fresh interpreter; wall time and rusage from wait4."""
    cmd = [sys.executable, str(pathlib.Path(__file__).resolve()), *args]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=str(ROOT))
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        return {"error": f"timed out after {timeout:.0f}s", "cmd": " ".join(cmd)}
    wall = time.perf_counter() - t
    # communicate() already reaped the child; its rusage is in RUSAGE_CHILDREN's max, which is
    # a running max over all children, so the child reports its own maxrss as well.
    res = None
    for line in out.splitlines():
        if line.startswith("BENCH-RESULT "):
            res = json.loads(line[len("BENCH-RESULT "):])
    if proc.returncode != 0 or res is None:
        return {"error": f"exit {proc.returncode}", "stderr": err[-3000:], "cmd": " ".join(cmd)}
    res["wall_s"] = wall - res.get("extra_s", 0.0)
    res["peak_mb"] = res.get("pipeline_maxrss_mb", res["child_maxrss_mb"])
    return res


def count_words(folder: pathlib.Path) -> tuple[int, int, int]:
    files = sorted(folder.glob("*.txt"))
    words = nbytes = 0
    for f in files:
        b = f.read_bytes()
        nbytes += len(b)
        words += len(b.decode("utf-8", "replace").split())
    return len(files), words, nbytes


def fmt_table(results: list[dict]) -> str:
    lines = ["| N | engine | wall s | compute s | words/s | peak MB | tokens rows | tokens MB | vs nltk |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['n']} | {r['engine']} | error: {r['error']} | | | | | | |")
            continue
        nl = next((x for x in results if x["n"] == r["n"] and x["engine"] == "nltk"
                   and "error" not in x), None)
        ratio = f"{nl['wall_s'] / r['wall_s']:.2f}x" if nl else ""
        lines.append(
            f"| {r['n']:,} | {r['engine']} | {r['wall_s']:.1f} | {r.get('compute_s', 0):.1f} | "
            f"{r['words'] / r['wall_s']:,.0f} | {r['peak_mb']:.0f} | "
            f"{r.get('rows', {}).get('tokens', 0):,} | {r.get('tokens_mb', 0):.0f} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="analystkit benchmark (see module docstring)")
    ap.add_argument("--child", choices=["analystkit", "nltk", "spacy", "dask"], help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--work", type=pathlib.Path, default=pathlib.Path("/tmp/ak-bench"))
    ap.add_argument("--engines", nargs="*", default=["analystkit", "nltk", "spacy"],
                    choices=["analystkit", "nltk", "spacy"])
    ap.add_argument("--interactive", action="store_true", help="time the source-filter callback")
    ap.add_argument("--dask", action="store_true", help="also run export_dask (LocalCluster)")
    ap.add_argument("--npartitions", type=int, default=None)
    ap.add_argument("--timeout", type=float, default=900, help="seconds per child process")
    ap.add_argument("--json", type=pathlib.Path, help="write all results here")
    a = ap.parse_args(argv)

    if a.child:
        if a.child == "analystkit":
            _emit(child_analystkit(a.corpus, a.interactive))
        elif a.child == "dask":
            _emit(child_dask(a.corpus, a.out, a.npartitions))
        else:
            _emit(child_peer(a.child, a.corpus))
        return 0

    import generate_corpus

    results: list[dict] = []
    meta = {"python": platform.python_version(), "machine": platform.machine(),
            "cpus": os.cpu_count(), "loadavg_start": os.getloadavg(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    for n in a.sizes:
        folder = a.work / f"corpus_{n}"
        generate_corpus.generate(n, folder)
        files, words, nbytes = count_words(folder)
        print(f"N={n}: {files} files, {words:,} words, {nbytes / 1e6:.1f} MB", file=sys.stderr)
        for eng in a.engines:
            args = ["--child", eng, "--corpus", str(folder)]
            if eng == "analystkit" and a.interactive:
                args.append("--interactive")
            r = run_child(args, a.timeout)
            r.update(n=n, engine=eng, words=words, files=files, bytes=nbytes)
            results.append(r)
            print(f"  {eng}: " + (r["error"] if "error" in r else
                  f"{r['wall_s']:.1f}s wall, {words / r['wall_s']:,.0f} words/s, "
                  f"{r['peak_mb']:.0f} MB peak"), file=sys.stderr)
            if "error" in r:
                print(r.get("stderr", ""), file=sys.stderr)
        if a.dask:
            args = ["--child", "dask", "--corpus", str(folder), "--out", str(a.work / f"dask_{n}")]
            if a.npartitions:
                args += ["--npartitions", str(a.npartitions)]
            r = run_child(args, a.timeout)
            r.update(n=n, engine="dask", words=words, files=files, bytes=nbytes)
            results.append(r)
            print(f"  dask: {r.get('error') or r}", file=sys.stderr)
    meta["loadavg_end"] = os.getloadavg()
    print(fmt_table(results))
    for r in results:
        if r.get("interactive"):
            print(f"\ninteractive (N={r['n']:,}): {json.dumps(r['interactive'])}")
        if r.get("stage_s"):
            print(f"\nstages s (N={r['n']:,}): {json.dumps(r['stage_s'])}")
        if r["engine"] == "dask" and "error" not in r:
            print(f"\ndask (N={r['n']:,}): driver peak {r['peak_mb']:.0f} MB, "
                  f"worker peak {r.get('worker_peak_mb', float('nan')):.0f} MB, "
                  f"partitions {r.get('npartitions')}")
    print(f"\nload average start {meta['loadavg_start']}, end {meta['loadavg_end']}")
    if a.json:
        a.json.write_text(json.dumps({"meta": meta, "results": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
