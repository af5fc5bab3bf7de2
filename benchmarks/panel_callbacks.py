"""Time the notebook panels' source-filter callbacks on a corpus folder.

    .venv/bin/python benchmarks/panel_callbacks.py /tmp/akb/final/corpus_10000

Builds ActorsPanel and StatementsPanel once, then times ``update(outlets)`` (the callback a
source-filter change runs: figures, tables, labels) and the pure ``figures_for(outlets)`` for
one outlet, half of the outlets and all of them.
"""
from __future__ import annotations

import sys
import time

import analystkit as ak
from analystkit import widgets


def main(folder: str) -> None:
    corpus = ak.load_corpus(folder, cache=True, progress=False)
    t = time.time()
    corpus.frames(["articles", "sentences", "tokens", "mentions", "statements", "issue_hits"])
    print(f"pipeline (or cache) {time.time() - t:.1f} s; {len(corpus.outlets)} outlets")
    outlets = sorted(corpus.outlets)
    for cls in (widgets.CorpusPanel, widgets.ActorsPanel, widgets.StatementsPanel, widgets.IssuesPanel):
        t = time.time()
        panel = cls(corpus)
        print(f"{cls.__name__}: build {time.time() - t:.2f} s")
        for sel in (outlets[:1], outlets[: len(outlets) // 2], outlets):
            t = time.time()
            panel.update(sel)
            upd = time.time() - t
            t = time.time()
            panel.figures_for(sel)
            fig = time.time() - t
            print(f"  {len(sel):>5} outlets: update {upd * 1000:.0f} ms, figures_for {fig * 1000:.0f} ms")


if __name__ == "__main__":
    main(sys.argv[1])
