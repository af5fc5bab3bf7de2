"""Check that a change leaves the frames identical (the tool behind the speed work of issue 7).

    # before the change: compute every frame of some corpora and keep them
    .venv/bin/python benchmarks/identity.py save /tmp/ident/base2000.pkl /tmp/akb/final/corpus_2000
    .venv/bin/python benchmarks/identity.py save /tmp/ident/heldout.pkl tests/fixtures/heldout
    # after it: recompute one stage (or all) from the saved inputs and compare
    .venv/bin/python benchmarks/identity.py check statements /tmp/ident/*.pkl
    .venv/bin/python benchmarks/identity.py check all /tmp/ident/base2000.pkl

``check`` puts the saved input frames of the stage into a fresh Corpus (so only that stage's
code runs), times it, and compares its output with ``pandas.testing.assert_frame_equal``.
Exit status 1 on any difference. Frames are pickled (they hold lists and categoricals).
"""
from __future__ import annotations

import pickle
import sys
import time

import pandas as pd

# the frames each stage reads (besides articles and problems)
INPUTS = {
    "paragraphs": [], "sentences": ["paragraphs"], "tokens": ["sentences"],
    "mentions": ["paragraphs", "sentences"], "statements": ["paragraphs", "sentences", "mentions"],
    "issue_hits": ["paragraphs", "sentences"],
    "coverage": ["paragraphs", "sentences", "tokens", "issue_hits"],
    "statement_groups": ["statements"], "syndication": ["paragraphs", "sentences"],
    "near_duplicates": ["paragraphs", "sentences"], "sourcing_profile": ["statements"],
}


def save(out: str, source: str) -> None:
    import analystkit as ak

    frames = ak.load_corpus(source, cache=False, progress=False).frames()
    with open(out, "wb") as f:
        pickle.dump(frames, f)
    print(f"saved {len(frames)} frames of {source} to {out}")


def check(stage: str, paths: list[str]) -> int:
    from analystkit.corpus import Corpus

    stages = list(INPUTS) if stage == "all" else [stage]
    bad = 0
    for path in paths:
        with open(path, "rb") as f:
            gold = pickle.load(f)
        for st in stages:
            c = Corpus(gold["articles"], gold["problems"])
            for name in INPUTS[st]:
                c._frames[name] = gold[name]
            t = time.perf_counter()
            got = getattr(c, st)
            dt = time.perf_counter() - t
            try:
                pd.testing.assert_frame_equal(got, gold[st])
                print(f"{path}  {st:16s} {dt:7.2f} s  SAME ({len(got)} rows)")
            except AssertionError as exc:
                bad += 1
                print(f"{path}  {st:16s} {dt:7.2f} s  DIFF: {str(exc)[:800]}")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "save":
        save(argv[1], argv[2])
        return 0
    if len(argv) >= 3 and argv[0] == "check" and (argv[1] in INPUTS or argv[1] == "all"):
        return check(argv[1], argv[2:])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
