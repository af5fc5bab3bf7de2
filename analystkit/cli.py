"""Command line: ``analystkit export`` and ``analystkit report``.

    analystkit export PATH --out DIR [--format csv|parquet] [--metadata FILE]
                     [--actors FILE] [--issues FILE] [--verbs FILE] [--text-column COL]
                     [--frames articles,sentences,...] [--engine pandas|dask] [--scheduler ADDRESS]
    analystkit report PATH --out report.html

Bad input ends with exit code 2 and one line on stderr naming the file and the problem.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from .articles import LoadError
from .corpus import FRAME_NAMES, load_corpus

__all__ = ["main", "write_frames"]


def _csv_ready(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists (subheadings, cited_sources, ...) become JSON strings in CSV files."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object and out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: json.dumps(list(v) if isinstance(v, tuple) else v,
                                                         ensure_ascii=False)
                                    if isinstance(v, (list, tuple, dict)) else v)
    return out


def write_frames(frames: dict[str, pd.DataFrame], out: Path, *, fmt: str = "csv") -> list[Path]:
    """Write each frame to ``out/<name>.<fmt>``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        path = out / f"{name}.{fmt}"
        if fmt == "csv":
            _csv_ready(frame).to_csv(path, index=False)
        else:
            frame.to_parquet(path, index=False)
        written.append(path)
    return written


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="analystkit", description="Tidy frames from a folder of news articles.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp):
        sp.add_argument("path", help="a folder of .txt/.md articles, a file, or a CSV/JSONL/Parquet table")
        sp.add_argument("--metadata", help="sidecar metadata table keyed by article_id")
        sp.add_argument("--actors", help="actor codebook (YAML) instead of the packaged one")
        sp.add_argument("--issues", help="issue codebook (YAML) instead of the packaged one")
        sp.add_argument("--verbs", help="reporting-verb list instead of the packaged one")
        sp.add_argument("--text-column", help="name of the text column of a table input")

    ex = sub.add_parser("export", help="write every frame to a folder")
    common(ex)
    ex.add_argument("--out", required=True, help="output folder")
    ex.add_argument("--format", choices=("csv", "parquet"), default="csv")
    ex.add_argument("--frames", help=f"comma-separated subset of: {', '.join(FRAME_NAMES)}")
    ex.add_argument("--engine", choices=("pandas", "dask"), default="pandas",
                    help="dask: process files in partitions on a Dask cluster (pip install 'analystkit[scale]')")
    ex.add_argument("--scheduler", help="address of an existing Dask scheduler (default: a LocalCluster)")
    ex.add_argument("--npartitions", type=int, help="number of partitions for --engine dask")

    rp = sub.add_parser("report", help="a self-contained HTML report with the charts")
    common(rp)
    rp.add_argument("--out", required=True, help="the HTML file to write")
    return p


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (LoadError, FileNotFoundError, KeyError, ValueError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"analystkit: error: {msg}", file=sys.stderr)
        return 2


def _run(args) -> int:
    names = FRAME_NAMES
    if getattr(args, "frames", None):
        names = tuple(n.strip() for n in args.frames.split(",") if n.strip())
        unknown = sorted(set(names) - set(FRAME_NAMES))
        if unknown:
            raise ValueError(f"unknown frame(s) {unknown}; choose from {', '.join(FRAME_NAMES)}")
    if args.command == "export" and args.engine == "dask":
        from .scale import export_dask  # optional extra: imported only when asked for

        out = export_dask(args.path, Path(args.out), fmt=args.format, scheduler=args.scheduler,
                          npartitions=args.npartitions, metadata=args.metadata, actors=args.actors,
                          issues=args.issues, verbs=args.verbs,
                          frames=names if getattr(args, "frames", None) else None)
        print(f"wrote a partitioned {args.format} dataset to {out}")
        return 0
    corpus = load_corpus(args.path, metadata=args.metadata, actors=args.actors, issues=args.issues,
                         verbs=args.verbs, text_column=args.text_column)
    if len(corpus.articles) == 0:
        reasons = "; ".join(f"{p}: {r}" for p, r in zip(corpus.problems["path"], corpus.problems["reason"]))
        raise LoadError(f"{args.path}: no article could be read ({reasons or 'no input'})")
    if args.command == "export":
        written = write_frames(corpus.frames(names), Path(args.out), fmt=args.format)
        for path in written:
            print(path)
        if len(corpus.problems):
            print(f"{len(corpus.problems)} problem row(s): see {Path(args.out) / ('problems.' + args.format)}",
                  file=sys.stderr)
        return 0
    if args.command == "report":
        from .report import write_report

        path = write_report(corpus, Path(args.out))
        print(path)
        return 0
    return 2  # pragma: no cover - argparse enforces the command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
