"""The Corpus: the articles frame plus every derived frame, computed once and cached.

    corpus = load_corpus("seeds/")
    corpus.articles      # one row per article
    corpus.problems      # one row per input that did not become an article (or a warning)
    corpus.paragraphs    # one row per paragraph, with its layout kind
    corpus.sentences     # one row per sentence
    corpus.tokens        # one row per token
    corpus.mentions      # one row per actor mention            (analystkit.actors)
    corpus.statements    # one row per reporting clause + tone  (analystkit.statements/.sentiment)
    corpus.issue_hits    # one row per issue hit                (analystkit.issues)
    corpus.coverage      # one row per outlet x issue           (analystkit.issues)
    corpus.filter(outlet="NENC Media Group")   # a new Corpus, every frame restricted

Frames are computed on first access and kept; :meth:`Corpus.filter` restricts the frames
already computed instead of recomputing them.
"""
from __future__ import annotations

import importlib
from typing import Iterable

import pandas as pd

from .articles import _read_articles
from .tokens import split_paragraphs, split_sentences, tokenize

__all__ = ["Corpus", "load_corpus", "FRAME_NAMES"]

# frames `analystkit export` writes, in pipeline order
FRAME_NAMES = ("articles", "problems", "paragraphs", "sentences", "tokens", "mentions",
               "statements", "issue_hits", "coverage", "statement_groups", "syndication",
               "near_duplicates", "sourcing_profile")
# frames with one row per article-derived unit: filter() restricts them by article_id
_PER_ARTICLE = ("articles", "paragraphs", "sentences", "tokens", "mentions", "statements",
                "issue_hits", "syndication")


def _stage(module: str, name: str):
    return getattr(importlib.import_module(f"analystkit.{module}"), name)


class Corpus:
    """Articles and the frames derived from them. Build one with :func:`load_corpus`.

    Every frame is a property computed on first access and cached on the object. Options
    (``actors``, ``issues``, ``verbs``, ``stopwords``) are codebook paths, loaded codebooks,
    or ``None`` for the packaged defaults.
    """

    def __init__(self, articles: pd.DataFrame, problems: pd.DataFrame | None = None, *,
                 actors=None, issues=None, verbs=None, stopwords=None, source=None):
        self._frames: dict[str, pd.DataFrame] = {
            "articles": articles.reset_index(drop=True),
            "problems": (problems if problems is not None
                         else pd.DataFrame(columns=["path", "reason", "detail"])).reset_index(drop=True),
        }
        self._options = {"actors": actors, "issues": issues, "verbs": verbs, "stopwords": stopwords}
        self._codebooks: dict[str, object] = {}
        self.source = source

    # -- codebooks ---------------------------------------------------------------------
    def _codebook(self, name: str, module: str, loader: str):
        """The codebook ``name``: the option as given when already loaded, else the loader's
        result for the option (a path, or None for the packaged default)."""
        if name not in self._codebooks:
            opt = self._options[name]
            loaded = opt is not None and not isinstance(opt, (str, bytes)) and not hasattr(opt, "__fspath__")
            self._codebooks[name] = opt if loaded else _stage(module, loader)(opt)
        return self._codebooks[name]

    @property
    def actor_codebook(self):
        """The actor codebook in use (``analystkit.actors.load_actors``)."""
        return self._codebook("actors", "actors", "load_actors")

    @property
    def issue_codebook(self):
        """The issue codebook in use (``analystkit.issues.load_issues``)."""
        return self._codebook("issues", "issues", "load_issues")

    @property
    def verbs(self):
        """The reporting verbs in use (``analystkit.statements.load_reporting_verbs``)."""
        return self._codebook("verbs", "statements", "load_reporting_verbs")

    # -- frames ------------------------------------------------------------------------
    def _get(self, name: str, compute):
        if name not in self._frames:
            cache = getattr(self, "_cache", None)   # set by load_corpus(cache=...); never on filter()
            self._frames[name] = compute() if cache is None else cache.frame(name, self._options, compute)
        return self._frames[name]

    @property
    def articles(self) -> pd.DataFrame:
        """One row per article (see :mod:`analystkit.articles`)."""
        return self._frames["articles"]

    @property
    def problems(self) -> pd.DataFrame:
        """One row per input that did not become an article, or a warning about one that did."""
        return self._frames["problems"]

    @property
    def paragraphs(self) -> pd.DataFrame:
        """One row per paragraph with its layout kind (see :mod:`analystkit.tokens`)."""
        def compute():
            # the layouts load_corpus parsed while reading, used once and dropped
            spans, self._layout_spans = getattr(self, "_layout_spans", None), None
            return split_paragraphs(self.articles, _spans=spans)
        return self._get("paragraphs", compute)

    @property
    def sentences(self) -> pd.DataFrame:
        """One row per sentence of the story text (see :mod:`analystkit.tokens`)."""
        return self._get("sentences", lambda: split_sentences(self.paragraphs))

    @property
    def tokens(self) -> pd.DataFrame:
        """One row per token (see :mod:`analystkit.tokens`)."""
        return self._get("tokens", lambda: tokenize(self.sentences, stopwords=self._options["stopwords"]))

    @property
    def mentions(self) -> pd.DataFrame:
        """One row per actor mention (see :mod:`analystkit.actors`)."""
        return self._get("mentions", lambda: _stage("actors", "find_actors")(
            self.sentences, codebook=self.actor_codebook))

    @property
    def statements(self) -> pd.DataFrame:
        """One row per reporting clause, scored for tone (see :mod:`analystkit.statements`)."""
        def compute():
            raw = _stage("statements", "extract_statements")(
                self.sentences, mentions=self.mentions, paragraphs=self.paragraphs,
                codebook=self.actor_codebook, verbs=self.verbs)
            return _stage("sentiment", "score_sentiment")(raw)
        return self._get("statements", compute)

    @property
    def issue_hits(self) -> pd.DataFrame:
        """One row per issue hit (see :mod:`analystkit.issues`)."""
        return self._get("issue_hits", lambda: _stage("issues", "count_issues")(
            self.sentences, codebook=self.issue_codebook))

    @property
    def coverage(self) -> pd.DataFrame:
        """One row per outlet x issue, zeros included (see :func:`analystkit.issues.coverage`)."""
        return self._get("coverage", lambda: _stage("issues", "coverage")(self))

    @property
    def statement_groups(self) -> pd.DataFrame:
        """Statements with the cross-outlet group of the utterance they report
        (:func:`analystkit.compare.align_statements`): + group_id, group_size, similarity,
        is_representative. Recomputed after :meth:`filter` (groups span articles)."""
        return self._get("statement_groups", lambda: _stage("compare", "align_statements")(self.statements))

    @property
    def syndication(self) -> pd.DataFrame:
        """One row per paragraph shared across articles (:func:`analystkit.compare.find_syndication`);
        ``coverage(corpus, dedupe=True)`` uses it to count wire copy once."""
        return self._get("syndication", lambda: _stage("compare", "find_syndication")(self))

    @property
    def near_duplicates(self) -> pd.DataFrame:
        """Pairs of near-duplicate articles (:func:`analystkit.compare.near_duplicates`)."""
        return self._get("near_duplicates", lambda: _stage("compare", "near_duplicates")(self))

    @property
    def sourcing_profile(self) -> pd.DataFrame:
        """Whom each outlet lets speak (:func:`analystkit.compare.sourcing_profile`)."""
        return self._get("sourcing_profile", lambda: _stage("compare", "sourcing_profile")(
            self.statements, self.articles))

    def frames(self, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
        """The frames by name (all of :data:`FRAME_NAMES` by default), computing what is missing."""
        return {name: getattr(self, name) for name in (names or FRAME_NAMES)}

    # -- filtering ---------------------------------------------------------------------
    def filter(self, *, outlet=None, article_id=None) -> "Corpus":
        """A new Corpus restricted to the given outlet(s) and/or article id(s).

        Every frame already computed is restricted by ``article_id`` (nothing recomputed);
        derived summaries such as ``coverage`` are recomputed on demand from the restricted
        frames. ``problems`` is kept whole: it is about the input files, not about outlets.
        """
        arts = self.articles
        mask = pd.Series(True, index=arts.index)
        if outlet is not None:
            outlets = [outlet] if isinstance(outlet, str) else list(outlet)
            unknown = sorted(set(outlets) - set(arts["outlet"]))
            if unknown:
                raise KeyError(f"no such outlet(s): {unknown}; outlets are {sorted(arts['outlet'].unique())}")
            mask &= arts["outlet"].isin(outlets)
        if article_id is not None:
            ids = [article_id] if isinstance(article_id, str) else list(article_id)
            unknown = sorted(set(ids) - set(arts["article_id"]))
            if unknown:
                raise KeyError(f"no such article id(s): {unknown[:10]}")
            mask &= arts["article_id"].isin(ids)
        keep = arts.loc[mask, "article_id"]
        new = Corpus.__new__(Corpus)
        new._options = dict(self._options)
        new._codebooks = dict(self._codebooks)
        new.source = self.source
        new._frames = {"problems": self.problems}
        keep_set = set(keep)
        for name in _PER_ARTICLE:
            if name in self._frames:
                frame = self._frames[name]
                col = frame["article_id"]
                if isinstance(col.dtype, pd.CategoricalDtype):
                    codes = col.cat.categories.isin(list(keep_set))
                    m = codes[col.cat.codes.to_numpy()] & (col.cat.codes.to_numpy() >= 0)
                else:
                    m = col.isin(keep_set).to_numpy()
                new._frames[name] = frame[m].reset_index(drop=True)
        return new

    # -- conveniences --------------------------------------------------------------------
    @property
    def outlets(self) -> list[str]:
        """The outlets of the corpus, sorted."""
        return sorted(self.articles["outlet"].unique())

    def sentence_of(self, article_id: str, start: int, end: int | None = None) -> pd.DataFrame:
        """The sentence(s) of ``article_id`` that overlap the span [start, end)."""
        end = start + 1 if end is None else end
        s = self.sentences
        return s[(s["article_id"] == article_id) & (s["start"] < end) & (s["end"] > start)]

    def __len__(self) -> int:
        return len(self.articles)

    def __repr__(self) -> str:
        computed = [n for n in FRAME_NAMES if n in self._frames]
        return (f"<Corpus: {len(self.articles)} articles from {self.articles['outlet'].nunique()} "
                f"outlet(s), {len(self.problems)} problem row(s); computed: {', '.join(computed)}>")


def load_corpus(source, *, metadata=None, actors=None, issues=None, verbs=None, stopwords=None,
                text_column: str | None = None, progress: bool | None = None, cache=None) -> Corpus:
    """Load articles into a :class:`Corpus`.

    ``source`` is a folder, a file, a list of files, a CSV/JSONL/Parquet table with a text
    column, or a DataFrame with a text column (see :func:`analystkit.read_articles`).
    ``metadata`` is a sidecar table keyed by ``article_id`` that fills or overrides fields.
    ``actors``, ``issues``, ``verbs``, ``stopwords``: codebook paths (or loaded codebooks) to use
    instead of the packaged defaults.
    ``cache``: ``None``/``False`` computes everything; ``True`` keeps every frame on disk as
    Parquet in ``<corpus folder>/.analystkit-cache`` (or a directory you pass) keyed by the
    files' content and the codebooks, so re-loading an unchanged corpus recomputes nothing
    and a changed codebook recomputes only the frames that depend on it (see
    :mod:`analystkit.cache`).
    """
    spans: dict = {}

    def read():
        articles, problems, layout_spans = _read_articles(
            source, metadata=metadata, text_column=text_column, progress=progress)
        spans.update(layout_spans)
        return articles, problems

    store = None
    if cache is not None and cache is not False:
        from .cache import cached_read, open_cache
        store = open_cache(cache, source)
    if store is None:
        articles, problems = read()
    else:
        articles, problems, bound = cached_read(store, source, metadata=metadata,
                                                text_column=text_column, read=read)
    corpus = Corpus(articles, problems, actors=actors, issues=issues, verbs=verbs,
                    stopwords=stopwords, source=None if isinstance(source, pd.DataFrame) else source)
    if store is not None:
        corpus._cache = bound
    corpus._layout_spans = spans or None
    return corpus
