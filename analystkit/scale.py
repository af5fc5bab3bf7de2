"""The Dask engine: the whole pipeline on a cluster, file partitions in, a Parquet dataset out.

    from analystkit.scale import export_dask
    export_dask("corpus/", "out/")                                  # LocalCluster, 2 workers
    export_dask("corpus/", "out/", scheduler="tcp://10.0.0.5:8786") # an existing cluster

    analystkit export corpus/ --out out/ --format parquet --engine dask [--scheduler ADDRESS]

Output: one folder per frame, ``out/<frame>/part-00000.parquet`` ... (a partitioned dataset:
``pandas.read_parquet("out/tokens")`` or ``dask.dataframe.read_parquet("out/tokens")``
reads it whole). The rows are those of the pandas path (``load_corpus(PATH).frames()``):
same ids, offsets and values; only the row order across partitions may differ.

How it works
------------
1. The driver lists the input files exactly as :func:`analystkit.read_articles` would and
   computes the corpus-wide article ids (file stems, disambiguated when two files share one).
   Only paths travel to the workers, never texts.
2. Each partition (a contiguous run of files, ~``files_per_partition``) is one task: the
   worker reads its files with ``read_articles``, builds a :class:`~analystkit.Corpus` and runs
   the whole pandas pipeline (paragraphs, sentences, tokens, mentions, statements with
   sentiment, issue hits), writes every frame's part file and returns only small things:
   per-article text fingerprints (for duplicates), per-article counts for coverage, row counts.
3. Global steps in the driver: duplicates across partitions (the same normalized text in two
   partitions: the later copy becomes a ``problems`` row "duplicate", exactly as the pandas
   path does, and its rows are removed from the parts that hold them), metadata rows that match
   no article, and ``coverage`` (combined from the per-partition counts: no frame is ever
   gathered in the driver).

Memory: a worker holds one partition's frames at a time, the driver a few integers and
hashes per article, so peak memory does not grow with the number of articles
(benchmarks/README.md has the measurements).

Pointing it at a real cluster: start ``dask scheduler`` on one machine and
``dask worker tcp://SCHEDULER:8786`` on each worker machine (same Python environment with
analystkit installed, and the corpus folder and the output folder on a shared filesystem at
the same path), then pass ``scheduler="tcp://SCHEDULER:8786"`` (``--scheduler`` on the CLI).
Paths are made absolute before they are sent.

Dask is an optional extra (``pip install 'analystkit[scale]'``); nothing in the core library
imports this module.
"""
from __future__ import annotations

import hashlib
import math
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["export_dask", "plan_partitions", "run_partition", "combine_coverage"]

FRAMES = ("articles", "problems", "paragraphs", "sentences", "tokens", "mentions",
          "statements", "issue_hits", "coverage")
_PER_ARTICLE = ("articles", "paragraphs", "sentences", "tokens", "mentions", "statements",
                "issue_hits")
FILES_PER_PARTITION = 250


# --------------------------------------------------------------------------- planning
def _dup_key(text: str) -> str:
    """The fingerprint read_articles uses to detect duplicate texts (whitespace-folded,
    casefolded normalized text), hashed so only 20 bytes per article reach the driver."""
    key = re.sub(r"\s+", " ", text).strip().casefold()
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


def plan_partitions(source, *, metadata=None, npartitions: int | None = None,
                    files_per_partition: int = FILES_PER_PARTITION) -> dict:
    """List the inputs the way ``read_articles`` does and cut them into partitions.

    Returns ``{"partitions": [[(path, article_id | None), ...], ...], "sidecar": path|None,
    "base": folder|None, "n_files": int}``. Table files (CSV/JSONL/Parquet) get their own
    partition each; text files are cut into contiguous runs in reading order.
    """
    from . import articles as A

    if isinstance(source, pd.DataFrame):
        raise TypeError("export_dask reads files: pass a folder, a file or a list of files "
                        "(for a DataFrame use load_corpus(df).frames())")
    base = None
    sidecar = None
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.exists():
            raise A.LoadError(f"{path}: no such file or folder")
        if path.is_dir():
            base = path
            files = A._iter_folder(path)
            sidecar = A._sidecar_in(path) if metadata is None else None
            if not files:
                raise A.LoadError(f"{path}: the folder holds no files")
        else:
            files = [path]
    else:
        files = [Path(p) for p in source]
        if not files:
            raise A.LoadError("no input files given")
    tables, texts, others = [], [], []
    for f in files:
        if (sidecar is not None and f == sidecar) or f.name.startswith("."):
            continue
        if f.exists() and not f.is_dir() and f.suffix.lower() in A.TABLE_SUFFIXES:
            tables.append(f)
        elif f.exists() and not f.is_dir() and (f.suffix.lower() in A.TEXT_SUFFIXES or f.suffix == ""):
            texts.append(f)
        else:
            others.append(f)           # missing / folder / unsupported: read_articles reports them
    ids = A._unique_ids(texts, base)
    items = list(zip(texts, ids))
    if npartitions:
        size = max(1, math.ceil(len(items) / npartitions))
    else:
        size = max(1, files_per_partition)
    parts: list[list[tuple[Path, str | None]]] = [[(t, None)] for t in tables]
    parts += [items[i:i + size] for i in range(0, len(items), size)]
    if others:
        parts.append([(o, None) for o in others])
    if not parts:
        parts = [[]]
    return {"partitions": parts, "sidecar": sidecar, "base": base, "n_files": len(files)}


# --------------------------------------------------------------------------- worker side
def _write(frame: pd.DataFrame, out: Path, name: str, index: int, fmt: str) -> Path:
    d = out / name
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"part-{index:05d}.{fmt}"
    if fmt == "csv":
        from .cli import _csv_ready
        _csv_ready(frame).to_csv(path, index=False)
    else:
        from .cache import write_frame   # keeps object/None and list columns as they were
        write_frame(frame, path)
    return path


def run_partition(index: int, items: list, out: str, *, fmt: str = "parquet",
                  frames: tuple[str, ...] = FRAMES,
                  metadata: pd.DataFrame | None = None, metadata_origin: str | None = None,
                  actors=None, issues=None, verbs=None, stopwords=None) -> dict:
    """Read one partition's files, run the whole pipeline, write its part files.

    Runs on a worker. ``items`` is ``[(path to read, article_id | None, path to report), ...]``
    with the corpus-wide ids (None for table files); ``metadata`` holds the sidecar rows for
    those ids. Returns per-article dedupe keys and coverage counts, the partition's problems
    and the row count of each frame written -- never the frames themselves.
    """
    from . import articles as A
    from .corpus import Corpus

    out = Path(out)
    paths = [str(p) for p, _, _ in items]
    display = {str(p): str(d) for p, _, d in items}
    want = {str(p): aid for p, aid, _ in items if aid is not None}
    # read_articles on a list of files names them by stem (disambiguated within the list);
    # map those local ids to the corpus-wide ones the pandas path would give
    text_paths = [p for p in paths if p in want]
    local_ids = dict(zip(text_paths, A._unique_ids([Path(p) for p in text_paths], None)))
    meta = None
    if metadata is not None and len(metadata):
        to_local = {want[p]: local_ids[p] for p in text_paths}
        meta = metadata[metadata["article_id"].isin(to_local)].copy()
        meta["article_id"] = meta["article_id"].map(to_local)
        if not len(meta):
            meta = None
    arts, probs = A.read_articles(paths, metadata=meta, progress=False)
    renames = {local_ids[p]: want[p] for p in text_paths if local_ids[p] != want[p]}
    if len(arts):
        arts["article_id"] = pd.Series([want.get(p, a) for p, a in zip(arts["path"], arts["article_id"])],
                                       dtype="str")
        if renames:
            unknown = arts["outlet_source"] == "unknown"
            arts.loc[unknown, "outlet"] = [f"Unknown outlet ({a})" for a in arts.loc[unknown, "article_id"]]
        arts["path"] = pd.Series([_display(p, display) for p in arts["path"]], dtype="str")
    if len(probs):
        if renames:
            probs["detail"] = [_rename_in(d, renames) for d in probs["detail"]]
        probs["path"] = pd.Series([_display(p, display) for p in probs["path"]], dtype="str")
        if metadata_origin is not None:
            probs.loc[probs["reason"] == "metadata_unmatched", "path"] = metadata_origin
    corpus = Corpus(arts, probs, actors=actors, issues=issues, verbs=verbs, stopwords=stopwords)
    counts: dict[str, int] = {}
    for name in _PER_ARTICLE:
        # a partition without articles (only empty/unsupported files) writes no parts: its
        # empty frames would carry placeholder dtypes; its problems still count
        if name in frames and len(arts):
            frame = getattr(corpus, name)
            _write(frame, out, name, index, fmt)
            counts[name] = len(frame)
    aid = arts["article_id"].astype(object) if len(arts) else pd.Series([], dtype=object)
    per_article = pd.DataFrame({
        "article_id": aid.to_numpy(),
        "path": arts["path"].astype(object).to_numpy() if len(arts) else np.array([], dtype=object),
        "dup_key": [_dup_key(t) for t in arts["text"]] if len(arts) else [],
        "outlet": arts["outlet"].astype(object).to_numpy() if len(arts) else np.array([], dtype=object),
    })
    res = {"index": index, "per_article": per_article, "counts": counts, "problems": probs,
           "per_issue": None, "issue_keys": []}
    if "coverage" in frames:
        _coverage_counts(corpus, res)
    res["maxrss_mb"] = _maxrss_mb()
    return res


def _coverage_counts(corpus, res: dict) -> None:
    """Coverage ingredients: per article sentences and word tokens, per (article, issue)
    hits and sentences with a hit."""
    per_article = res["per_article"]
    sents = corpus.sentences
    sent_n = sents.groupby(sents["article_id"].astype(object), sort=False).size()
    tok = corpus.tokens
    words = tok[~tok["is_punct"].fillna(False).astype(bool)] if "is_punct" in tok.columns else tok
    tok_n = words.groupby(words["article_id"].astype(object), sort=False).size()
    hits = corpus.issue_hits
    h = pd.DataFrame({"article_id": hits["article_id"].astype(object).to_numpy(),
                      "sentence_id": hits["sentence_id"].to_numpy(),
                      "issue": hits["issue"].astype(object).to_numpy()})
    hit_n = h.groupby(["article_id", "issue"], sort=False).size().rename("hits")
    hit_s = h.drop_duplicates().groupby(["article_id", "issue"], sort=False).size().rename("sentences")
    per_issue = pd.concat([hit_n, hit_s], axis=1).reset_index()
    if not len(per_issue):
        per_issue = pd.DataFrame(columns=["article_id", "issue", "hits", "sentences"])
    aid = per_article["article_id"]
    per_article["sentences"] = aid.map(sent_n).fillna(0).astype("int64").to_numpy()
    per_article["tokens"] = aid.map(tok_n).fillna(0).astype("int64").to_numpy()
    res["per_issue"] = per_issue
    res["issue_keys"] = _issue_keys(corpus)


def _display(path: str, display: dict[str, str]) -> str:
    """The path as the user gave it (table rows are ``<file>#row=N``)."""
    if path in display:
        return display[path]
    head, sep, tail = path.partition("#row=")
    return display.get(head, head) + sep + tail if sep else path


def _rename_in(detail: str, renames: dict[str, str]) -> str:
    for old, new in renames.items():
        detail = detail.replace(repr(old), repr(new))
    return detail


def _issue_keys(corpus) -> list[str]:
    from . import issues as I
    return list(I._issue_keys(corpus.issue_hits, corpus.issue_codebook))


def _maxrss_mb() -> float:
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _drop_articles(path: Path, drop: set[str], fmt: str) -> None:
    """Remove the rows of ``drop`` article ids from one part file (cross-partition duplicates)."""
    if fmt == "csv":
        df = pd.read_csv(path, dtype={"article_id": str}, keep_default_na=False)
        df[~df["article_id"].isin(drop)].to_csv(path, index=False)
        return
    from .cache import read_frame, write_frame
    df = read_frame(path)
    keep = ~df["article_id"].astype(object).isin(drop)
    if not keep.all():
        df = df[keep.to_numpy()].reset_index(drop=True)
        if isinstance(df["article_id"].dtype, pd.CategoricalDtype):
            df["article_id"] = df["article_id"].cat.remove_unused_categories()
        write_frame(df, path)


def _unify_dataset(folder: Path) -> None:
    """Give every part file of a frame the same Arrow schema.

    Partitions type their columns from their own rows: a column that is all None in one
    partition is ``null`` there and ``string`` elsewhere, and categorical columns get
    dictionary indices as narrow as their category count. Readers of the dataset
    (``pandas.read_parquet(folder)``, ``dask.dataframe.read_parquet``) need one schema, so
    the parts that differ from the unified one (nulls promoted, int32 dictionary indices)
    are rewritten. Only schemas are read for the parts that already match.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = sorted(folder.glob("part-*.parquet"))
    rows = [pq.ParquetFile(p).metadata.num_rows for p in parts]
    if any(rows):
        # an empty part (a partition where nothing was found) has placeholder dtypes: drop it
        for p, n in zip(parts, rows):
            if n == 0:
                p.unlink()
        parts = [p for p, n in zip(parts, rows) if n]
    if len(parts) < 2:
        return
    schemas = [pq.read_schema(p) for p in parts]
    bare = [s.remove_metadata() for s in schemas]
    unified = pa.unify_schemas(bare, promote_options="permissive")
    fields = []
    for f in unified:
        if pa.types.is_dictionary(f.type):
            f = f.with_type(pa.dictionary(pa.int32(), f.type.value_type, f.type.ordered))
        fields.append(f)
    unified = pa.schema(fields)
    # pandas metadata (dtypes, object columns) from the largest part
    sizes = [n for n in rows if n] if any(rows) else rows
    meta = schemas[int(np.argmax(sizes))].metadata
    unified = unified.with_metadata(meta)
    for p, s in zip(parts, schemas):
        if s.remove_metadata().equals(unified.remove_metadata()) and s.metadata == meta:
            continue
        table = pq.read_table(p).cast(unified)
        tmp = p.with_suffix(".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, p)


# --------------------------------------------------------------------------- coverage
def combine_coverage(per_article: pd.DataFrame, per_issue: pd.DataFrame, keys: list[str], *,
                     by: str = "outlet") -> pd.DataFrame:
    """``issues.coverage`` from per-article counts (the same formula, no frame gathered).

    ``per_article``: article_id, <by>, sentences, tokens (word tokens) in corpus order;
    ``per_issue``: article_id, issue, hits, sentences (sentences with a hit of that issue).
    """
    from . import issues as issues_mod

    grp = per_article[by].astype(object).where(per_article[by].notna(), "(missing)")
    grp = grp.map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    g_of = pd.Series(grp.to_numpy(), index=per_article["article_id"].astype(object).to_numpy())
    groups = pd.unique(grp.to_numpy())
    n_articles = grp.groupby(grp.to_numpy(), sort=False).size()
    n_sent = per_article["sentences"].groupby(grp.to_numpy(), sort=False).sum()
    n_tok = per_article["tokens"].groupby(grp.to_numpy(), sort=False).sum()
    h = per_issue.assign(_g=per_issue["article_id"].astype(object).map(g_of))
    h = h[h["issue"].isin(keys) & h["_g"].notna()]
    agg = h.groupby(["_g", "issue"], sort=False).agg(hits=("hits", "sum"),
                                                     articles=("article_id", "nunique"),
                                                     sentences=("sentences", "sum"))
    full = pd.MultiIndex.from_product([groups, keys], names=["_g", "issue"])
    out = agg.reindex(full).fillna(0).astype("int64").reset_index()
    out = out[["_g", "issue", "hits", "articles", "sentences"]]
    return issues_mod.coverage_measures(out, by=by, keys=keys, n_articles=n_articles, n_sent=n_sent,
                                        n_tok=n_tok)


# --------------------------------------------------------------------------- driver
def _client(scheduler, n_workers: int | None):
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError("the Dask engine needs the optional extra: pip install 'analystkit[scale]'") from exc
    if scheduler is None:
        cluster = LocalCluster(n_workers=n_workers or min(2, os.cpu_count() or 1),
                               threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=40)
        return Client(cluster), cluster
    if hasattr(scheduler, "submit"):          # an existing Client
        return scheduler, None
    return Client(scheduler), None


def export_dask(source, out, *, fmt: str = "parquet", scheduler=None, npartitions: int | None = None,
                metadata=None, actors=None, issues=None, verbs=None, progress: bool = False,
                frames=None, n_workers: int | None = None,
                files_per_partition: int = FILES_PER_PARTITION, _report: dict | None = None) -> Path:
    """Run the whole pipeline on a Dask cluster and write a partitioned dataset per frame.

    ``source``: a folder, a file or a list of files (as for :func:`analystkit.load_corpus`).
    ``out``: the output folder; ``out/<frame>/part-*.<fmt>`` is written for every frame
    (existing part files of those frames are replaced). ``fmt``: ``parquet`` (default) or
    ``csv``. ``scheduler``: ``None`` starts a ``LocalCluster`` (processes, ``n_workers``
    workers, default 2) and closes it afterwards; an address (``"tcp://host:8786"``) or a
    ``distributed.Client`` uses that cluster. ``npartitions``: how many partitions the text
    files are cut into (default: one per ``files_per_partition`` files). ``metadata``, ``actors``,
    ``issues``, ``verbs``: as for ``load_corpus``. ``frames``: a subset of the frame names
    to write (default: all, as ``Corpus.frames()``). Returns ``out`` as a Path.
    """
    from . import articles as A

    if fmt not in ("parquet", "csv"):
        raise ValueError(f"fmt must be 'parquet' or 'csv', not {fmt!r}")
    frames = tuple(FRAMES if frames is None else frames)
    unknown = sorted(set(frames) - set(FRAMES))
    if unknown:
        raise ValueError(f"unknown frame(s) {unknown}; choose from {', '.join(FRAMES)}")
    out = Path(out).resolve()
    plan = plan_partitions(source, metadata=metadata, npartitions=npartitions,
                           files_per_partition=files_per_partition)
    meta_src = metadata if metadata is not None else plan["sidecar"]
    meta_df = A._load_metadata(meta_src)
    meta_origin = str(meta_src) if meta_src is not None else None
    # workers read absolute paths and report the paths as the user gave them
    parts = [[(str(Path(p).resolve()), aid, str(p)) for p, aid in part]
             for part in plan["partitions"] if part]
    for name in FRAMES:
        d = out / name
        if d.is_dir():
            for old in d.glob(f"part-*.{fmt}"):
                old.unlink()
    # resolve codebook paths on the driver so workers get absolute paths
    cb = {k: (str(Path(v).resolve()) if isinstance(v, (str, os.PathLike)) else v)
          for k, v in {"actors": actors, "issues": issues, "verbs": verbs}.items()}
    client, cluster = _client(scheduler, n_workers)
    try:
        futures = []
        for i, items in enumerate(parts):
            ids = {aid for _, aid, _ in items if aid is not None}
            m = meta_df[meta_df["article_id"].isin(ids)] if meta_df is not None else None
            futures.append(client.submit(run_partition, i, items, str(out), fmt=fmt, frames=frames,
                                         metadata=m,
                                         metadata_origin=meta_origin, pure=False, **cb))
        if progress:
            from dask.distributed import progress as dprogress
            dprogress(futures)
        results = []
        for f in futures:           # in partition order; each result is small
            results.append(f.result())
            f.release()
        worker_rss = client.run(_maxrss_mb)
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
    results.sort(key=lambda r: r["index"])
    planned = {aid for part in parts for _, aid, _ in part if aid is not None}
    return _finish(results, out, fmt, frames, planned, meta_df, meta_origin, worker_rss, _report)


def _finish(results, out: Path, fmt: str, frames: tuple[str, ...], planned: set, meta_df,
            meta_origin, worker_rss, report: dict | None) -> Path:
    """Global steps: cross-partition duplicates, unmatched metadata, paths, coverage."""
    seen: dict[str, str] = {}
    drop_by_part: dict[int, set[str]] = {}
    renamed: dict[str, str] = {}
    dup_rows = []
    per_articles, per_issues = [], []
    for r in results:
        pa = r["per_article"]
        keep = np.ones(len(pa), dtype=bool)
        for k, (aid, path, key) in enumerate(zip(pa["article_id"], pa["path"], pa["dup_key"])):
            if key in seen:
                keep[k] = False
                drop_by_part.setdefault(r["index"], set()).add(aid)
                renamed[aid] = seen[key]
                dup_rows.append({"path": path, "reason": "duplicate",
                                 "detail": f"same text as article {seen[key]!r}"})
            else:
                seen[key] = aid
        per_articles.append(pa[keep])
        pi = r["per_issue"]
        if pi is not None:
            per_issues.append(pi[~pi["article_id"].isin(drop_by_part.get(r["index"], set()))])
    # rows of cross-partition duplicates leave the part files that hold them
    for idx, drop in drop_by_part.items():
        for name in _PER_ARTICLE:
            if name not in frames:
                continue
            p = out / name / f"part-{idx:05d}.{fmt}"
            if p.exists():
                _drop_articles(p, drop, fmt)
    # problems: per partition (within-partition duplicates pointing at a dropped copy are
    # re-pointed at the kept one), + cross-partition duplicates, + unmatched metadata rows
    probs = []
    for r in results:
        pr = r["problems"].copy()
        if len(pr) and renamed:
            dup = pr["reason"] == "duplicate"
            pr.loc[dup, "detail"] = [_rename_in(d, renamed) for d in pr.loc[dup, "detail"]]
        probs.append(pr)
    if dup_rows:
        probs.append(pd.DataFrame(dup_rows))
    problems = pd.concat(probs, ignore_index=True) if probs else pd.DataFrame(columns=["path", "reason", "detail"])
    if meta_df is not None:
        # rows matching a file of some partition were checked there; the rest match no file
        known = planned | {a for r in results for a in r["per_article"]["article_id"]}
        rows = [{"path": meta_origin, "reason": "metadata_unmatched",
                 "detail": f"metadata row for {aid!r} matches no article"}
                for aid in meta_df["article_id"] if aid and aid not in known]
        if rows:
            problems = pd.concat([problems, pd.DataFrame(rows)], ignore_index=True)
    problems = problems.astype({"path": "str", "reason": "str", "detail": "str"}).reset_index(drop=True)
    if fmt == "parquet":
        for name in _PER_ARTICLE:
            if name in frames:
                _unify_dataset(out / name)
    if "problems" in frames:          # small: one file
        _write(problems, out, "problems", 0, fmt)
    per_article = pd.concat(per_articles, ignore_index=True)
    if not len(per_article):
        from .articles import LoadError
        reasons = "; ".join(f"{p}: {r}" for p, r in zip(problems["path"], problems["reason"]))
        raise LoadError(f"no article could be read ({reasons or 'no input'})")
    if "coverage" in frames:          # combined from per-partition counts
        keys = next((r["issue_keys"] for r in results if r["issue_keys"]), [])
        per_issue = pd.concat(per_issues, ignore_index=True)
        _write(combine_coverage(per_article, per_issue, keys), out, "coverage", 0, fmt)
    if report is not None:
        report["npartitions"] = len(results)
        report["articles"] = int(len(per_article))
        report["worker_peak_mb"] = max(worker_rss.values()) if worker_rss else None
        report["task_peak_mb"] = max(r["maxrss_mb"] for r in results) if results else None
        report["rows_before_cross_partition_dedupe"] = {n: int(sum(r["counts"].get(n, 0) for r in results)) for n in _PER_ARTICLE}
        report["cross_partition_duplicates"] = len(dup_rows)
    return out
