"""On-disk cache of a corpus' frames (Parquet), keyed by content.

``load_corpus(source, cache=True)`` re-opens an unchanged corpus without recomputing
anything: every frame is stored as one Parquet file whose name carries a key built from

* the analystkit version and a fingerprint of the library's own source files (new code
  never serves stale frames),
* the content (SHA-256 of the bytes) of every input file and of the metadata file, plus
  the loading options (``text_column``), and
* the content of exactly the codebooks the frame depends on.

Dependencies (what a change invalidates)::

    articles, problems            <- files, metadata, text_column
    paragraphs, sentences         <- articles
    tokens                        <- sentences + stopwords
    mentions                      <- sentences + actors codebook
    statements (with sentiment)   <- sentences + paragraphs + actors + reporting verbs + lexicon
    issue_hits                    <- sentences + issues codebook
    coverage                      <- issue_hits + tokens (issues codebook, stopwords)

so a changed actors codebook recomputes mentions and statements but not sentences, tokens
or issue hits; a changed, added or removed file recomputes every frame (ids and duplicate
detection are corpus-wide, so this is what it must invalidate).

Where: ``cache=True`` puts the cache next to the corpus, in ``<corpus folder>/.analystkit-cache``
(for a single input file: next to that file; for a DataFrame, or when that folder is not
writable: the user cache dir ``$XDG_CACHE_HOME/analystkit`` or ``~/.cache/analystkit``).
``cache="some/dir"`` uses that directory. ``ANALYSTKIT_CACHE_DIR`` overrides the default.
Deleting the directory is always safe. For each corpus and frame only the newest entry is
kept, so the cache does not grow with every edit.

This module never imports dask and has no state beyond the directory.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import pathlib
import tempfile
from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["FrameCache", "open_cache", "content_hash", "file_digest", "code_fingerprint",
           "input_key", "stage_key", "scope_for", "read_frame", "write_frame", "STAGE_DEPENDS",
           "DEFAULT_DIRNAME"]

DEFAULT_DIRNAME = ".analystkit-cache"
FORMAT = 1   # bump when the on-disk layout changes

# frame -> the codebooks (beyond the corpus files) its content depends on
STAGE_DEPENDS: dict[str, tuple[str, ...]] = {
    "articles": (),
    "problems": (),
    "paragraphs": (),
    "sentences": (),
    "tokens": ("stopwords",),
    "mentions": ("actors",),
    "statements": ("actors", "verbs", "lexicon"),
    "issue_hits": ("issues",),
    "coverage": ("issues", "stopwords"),
    "statement_groups": ("actors", "verbs", "lexicon"),
    "syndication": (),
    "near_duplicates": (),
    "sourcing_profile": ("actors", "verbs", "lexicon"),
}


# --------------------------------------------------------------------------- hashing
def file_digest(path: str | os.PathLike, *, chunk: int = 1 << 20) -> str:
    """SHA-256 hex digest of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            b = fh.read(chunk)
            if not b:
                break
            h.update(b)
    return h.hexdigest()


def _feed(h, obj: Any) -> None:
    """Feed a canonical, type-tagged serialization of ``obj`` into hash ``h``."""
    if obj is None:
        h.update(b"N;")
    elif isinstance(obj, bool):
        h.update(b"B1;" if obj else b"B0;")
    elif isinstance(obj, (int, np.integer)):
        h.update(b"I%d;" % int(obj))
    elif isinstance(obj, (float, np.floating)):
        h.update(b"F" + repr(float(obj)).encode() + b";")
    elif isinstance(obj, str):
        b = obj.encode("utf-8", "surrogatepass")
        h.update(b"S%d:" % len(b) + b)
    elif isinstance(obj, (bytes, bytearray, memoryview)):
        b = bytes(obj)
        h.update(b"Y%d:" % len(b) + b)
    elif isinstance(obj, pathlib.PurePath):
        p = pathlib.Path(obj)
        if p.is_file():
            h.update(b"P" + file_digest(p).encode())
        elif p.is_dir():
            h.update(b"D")
            for f in sorted(q for q in p.rglob("*") if q.is_file()):
                _feed(h, f.relative_to(p).as_posix())
                h.update(file_digest(f).encode())
        else:
            h.update(b"P?")
            _feed(h, str(p))
    elif isinstance(obj, pd.DataFrame):
        h.update(b"DF")
        _feed(h, [str(c) for c in obj.columns])
        _feed(h, [str(t) for t in obj.dtypes])
        for c in obj.columns:
            _feed(h, obj[c].tolist())
    elif isinstance(obj, pd.Series):
        h.update(b"SR")
        _feed(h, str(obj.dtype))
        _feed(h, obj.tolist())
    elif isinstance(obj, np.ndarray):
        _feed(h, obj.tolist())
    elif isinstance(obj, Mapping):
        h.update(b"M%d{" % len(obj))
        for k in sorted(obj, key=lambda k: repr(k)):
            _feed(h, k)
            _feed(h, obj[k])
        h.update(b"}")
    elif isinstance(obj, (set, frozenset)):
        h.update(b"Z%d{" % len(obj))
        for item in sorted(obj, key=lambda x: repr(x)):
            _feed(h, item)
        h.update(b"}")
    elif isinstance(obj, (list, tuple)):
        h.update(b"L%d[" % len(obj))
        for item in obj:
            _feed(h, item)
        h.update(b"]")
    elif hasattr(obj, "pattern") and hasattr(obj, "flags"):          # compiled regex
        _feed(h, ("re", obj.pattern, obj.flags))
    elif hasattr(obj, "__dict__"):
        h.update(b"O" + type(obj).__qualname__.encode())
        _feed(h, {k: v for k, v in vars(obj).items() if not k.startswith("_")})
    else:
        h.update(b"R")
        _feed(h, re.sub(r" at 0x[0-9a-fA-F]+", "", repr(obj)))   # no memory addresses


def content_hash(*parts: Any) -> str:
    """A stable SHA-256 hex digest of ``parts``.

    Paths are hashed by the *content* of the file (or, for a folder, of every file in it),
    DataFrames by their columns, dtypes and values, mappings independent of key order.
    """
    h = hashlib.sha256()
    _feed(h, list(parts))
    return h.hexdigest()


_CODE_FP: str | None = None


def code_fingerprint() -> str:
    """analystkit's version plus a digest of its Python sources and packaged data files
    (so new code or new packaged codebooks never serve stale frames)."""
    global _CODE_FP
    if _CODE_FP is None:
        from . import __version__
        pkg = pathlib.Path(__file__).resolve().parent
        h = hashlib.sha256(__version__.encode())
        for f in sorted([*pkg.glob("*.py"), *pkg.glob("data/*")]):
            if f.is_file():
                h.update(f.relative_to(pkg).as_posix().encode())
                h.update(file_digest(f).encode())
        _CODE_FP = h.hexdigest()
    return _CODE_FP


# --------------------------------------------------------------------------- the cache
def _user_cache_dir() -> pathlib.Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return pathlib.Path(base) / "analystkit"


def _writable(d: pathlib.Path) -> bool:
    try:
        d.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=d, prefix=".probe-"):
            pass
        return True
    except OSError:
        return False


def default_cache_dir(source: Any) -> pathlib.Path:
    """Where ``cache=True`` puts the cache for ``source`` (see the module docstring)."""
    env = os.environ.get("ANALYSTKIT_CACHE_DIR")
    if env:
        return pathlib.Path(env)
    if isinstance(source, (str, os.PathLike)):
        p = pathlib.Path(source)
        folder = p if p.is_dir() else p.parent
        cand = folder / DEFAULT_DIRNAME
        if _writable(cand):
            return cand
    return _user_cache_dir()


def open_cache(cache: Any, source: Any = None) -> "FrameCache | None":
    """``cache`` as given to ``load_corpus``: None/False -> no cache; True -> the default
    directory for ``source``; a path -> that directory; a FrameCache -> itself."""
    if cache is None or cache is False:
        return None
    if isinstance(cache, FrameCache):
        return cache
    if cache is True:
        return FrameCache(default_cache_dir(source))
    if isinstance(cache, (str, os.PathLike)):
        return FrameCache(pathlib.Path(cache))
    raise TypeError(f"cache must be None, True, False or a directory path, not {type(cache).__name__}")


def _restore_lists(df: pd.DataFrame) -> pd.DataFrame:
    """Parquet gives list columns back as numpy arrays; analystkit frames hold lists."""
    for c in df.columns:
        if df[c].dtype == object:
            s = df[c]
            if s.map(lambda v: isinstance(v, np.ndarray)).any():
                df[c] = s.map(lambda v: v.tolist() if isinstance(v, np.ndarray) else v)
    return df


_META_KEY = b"analystkit.dtypes"


def write_frame(df: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write ``df`` to Parquet, remembering which columns were plain ``object`` columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    objects = [str(c) for c in df.columns if df[c].dtype == object]
    meta = dict(table.schema.metadata or {})
    meta[_META_KEY] = json.dumps({"object": objects}).encode()
    pq.write_table(table.replace_schema_metadata(meta), path)


def read_frame(path: str | os.PathLike) -> pd.DataFrame:
    """Read a frame written by :func:`write_frame` with the dtypes it had: lists come back
    as lists, ``object`` columns (strings with None) stay ``object`` with None."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    df = table.to_pandas()
    raw = (table.schema.metadata or {}).get(_META_KEY)
    objects = json.loads(raw)["object"] if raw else []
    for c in objects:
        if c in df.columns and df[c].dtype != object:
            col = df[c].astype(object)
            df[c] = col.where(col.notna(), None)
    return _restore_lists(df).reset_index(drop=True)


class FrameCache:
    """A directory of Parquet files, one per (corpus scope, frame, key).

    ``get(name, key)`` returns the frame or None; ``put(name, key, df)`` stores it
    atomically and removes older entries of the same frame for the same scope.
    ``stats`` counts hits/misses/writes for tests and benchmarks.
    """

    def __init__(self, root: str | os.PathLike):
        self.root = pathlib.Path(root)
        self.stats = {"hits": 0, "misses": 0, "writes": 0}

    def __repr__(self) -> str:
        return f"FrameCache({str(self.root)!r})"

    def _path(self, name: str, key: str, scope: str) -> pathlib.Path:
        return self.root / f"{name}-{scope[:12]}-{key[:24]}.parquet"

    def get(self, name: str, key: str, *, scope: str = "corpus") -> pd.DataFrame | None:
        p = self._path(name, key, scope)
        if not p.is_file():
            self.stats["misses"] += 1
            return None
        try:
            df = read_frame(p)
        except Exception:              # a truncated/corrupt entry is just a miss
            self.stats["misses"] += 1
            try:
                p.unlink()
            except OSError:
                pass
            return None
        self.stats["hits"] += 1
        return df

    def put(self, name: str, key: str, df: pd.DataFrame, *, scope: str = "corpus") -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            p = self._path(name, key, scope)
            fd, tmp = tempfile.mkstemp(dir=self.root, prefix=f".{name}-", suffix=".tmp")
            os.close(fd)
            try:
                write_frame(df, tmp)
                os.replace(tmp, p)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
            for old in self.root.glob(f"{name}-{scope[:12]}-*.parquet"):
                if old != p:
                    try:
                        old.unlink()
                    except OSError:
                        pass
            self.stats["writes"] += 1
        except (OSError, ValueError, TypeError, ImportError) as exc:
            # caching is an optimisation: a frame Parquet cannot hold is recomputed next time
            import warnings
            warnings.warn(f"analystkit cache: could not store {name!r} in {self.root}: {exc}",
                          RuntimeWarning, stacklevel=2)

    def get_or_compute(self, name: str, key: str, compute: Callable[[], pd.DataFrame], *,
                       scope: str = "corpus") -> pd.DataFrame:
        df = self.get(name, key, scope=scope)
        if df is None:
            df = compute()
            self.put(name, key, df, scope=scope)
        return df


# --------------------------------------------------------------------------- keys
def input_files(source: Any) -> list[pathlib.Path] | None:
    """The files ``read_articles(source)`` reads (folder: recursively, hidden entries
    skipped, the metadata sidecar included); None when ``source`` is not files."""
    if isinstance(source, (str, os.PathLike)):
        p = pathlib.Path(source)
        if p.is_dir():
            from .articles import _iter_folder
            return [f for f in _iter_folder(p) if not f.name.startswith(".")]
        return [p]
    if isinstance(source, (list, tuple)) and all(isinstance(x, (str, os.PathLike)) for x in source):
        return [pathlib.Path(x) for x in source]
    return None


def input_key(source: Any, *, metadata: Any = None, text_column: Any = None) -> str:
    """Key of the corpus input: every file's relative name and SHA-256 (or, for a DataFrame,
    its content), the metadata table's content, ``text_column``, and the code fingerprint."""
    h = hashlib.sha256()
    h.update(f"format{FORMAT}".encode())
    h.update(code_fingerprint().encode())
    files = input_files(source)
    if files is not None:
        base = pathlib.Path(source) if isinstance(source, (str, os.PathLike)) and pathlib.Path(source).is_dir() else None
        for f in files:
            rel = f.relative_to(base).as_posix() if base is not None else str(f)
            _feed(h, rel)
            try:
                h.update(file_digest(f).encode())
            except OSError as exc:            # missing/unreadable: read_articles reports it
                _feed(h, ("unreadable", type(exc).__name__))
    else:
        _feed(h, ("frame", source))
    _feed(h, ("metadata", pathlib.Path(metadata) if isinstance(metadata, (str, os.PathLike)) else metadata))
    _feed(h, ("text_column", text_column))
    return h.hexdigest()


def codebook_component(option: Any) -> Any:
    """What a codebook option contributes to a key: the packaged default (covered by the
    code fingerprint), a file's content digest, or a loaded codebook's content."""
    if option is None:
        return "packaged"
    if isinstance(option, (str, os.PathLike)):
        p = pathlib.Path(option)
        return ("file", file_digest(p)) if p.is_file() else ("path", str(p))
    return ("object", content_hash(option))


def stage_key(base: str, name: str, options: Mapping[str, Any]) -> str:
    """Key of frame ``name``: the input key plus the codebooks it depends on
    (``STAGE_DEPENDS``); ``options`` maps codebook name -> the option given to load_corpus."""
    deps = STAGE_DEPENDS.get(name, tuple(sorted(options)))
    return content_hash(base, name, [(d, codebook_component(options.get(d))) for d in deps])


def scope_for(source: Any) -> str:
    """Which corpus a cache entry belongs to (older entries of the same scope are pruned)."""
    if isinstance(source, (str, os.PathLike)):
        return content_hash(str(pathlib.Path(source).resolve()))
    return content_hash("in-memory", type(source).__name__)


def describe(cache: FrameCache) -> pd.DataFrame:
    """One row per cached frame file: name, scope, key, bytes (for the curious analyst)."""
    rows = []
    for p in sorted(cache.root.glob("*.parquet")):
        name, scope, key = p.stem.rsplit("-", 2)
        rows.append({"frame": name, "scope": scope, "key": key, "bytes": p.stat().st_size})
    return pd.DataFrame(rows, columns=["frame", "scope", "key", "bytes"])


class CorpusCache:
    """The cache bound to one corpus input: ``frame(name, options, compute)`` returns the
    cached frame for the current key or computes and stores it. ``Corpus`` holds one."""

    def __init__(self, store: FrameCache, base: str, scope: str):
        self.store, self.base, self.scope = store, base, scope

    def __repr__(self) -> str:
        return f"CorpusCache({self.store.root}, key {self.base[:12]})"

    def frame(self, name: str, options: Mapping[str, Any], compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        return self.store.get_or_compute(name, stage_key(self.base, name, options), compute,
                                         scope=self.scope)


def cached_read(store: FrameCache, source: Any, *, metadata: Any = None, text_column: Any = None,
                read: Callable[[], tuple[pd.DataFrame, pd.DataFrame]]):
    """``(articles, problems, CorpusCache)``: from the cache when the input is unchanged,
    else from ``read()`` (then stored)."""
    base = input_key(source, metadata=metadata, text_column=text_column)
    scope = scope_for(source)
    cc = CorpusCache(store, base, scope)
    key_a, key_p = stage_key(base, "articles", {}), stage_key(base, "problems", {})
    articles = store.get("articles", key_a, scope=scope)
    problems = store.get("problems", key_p, scope=scope) if articles is not None else None
    if articles is None or problems is None:
        articles, problems = read()
        store.put("articles", key_a, articles, scope=scope)
        store.put("problems", key_p, problems, scope=scope)
    return articles, problems, cc
