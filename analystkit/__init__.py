"""analystkit: tidy frames and curated notebooks for news analysts.

    import analystkit as ak
    corpus = ak.load_corpus("seeds/")
    corpus.articles, corpus.sentences, corpus.tokens, corpus.mentions, corpus.statements

The public API is re-exported here. Names are resolved lazily (PEP 562) so that
``import analystkit`` stays fast and optional engines (Dask) are imported only
when asked for.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_API = {
    # corpus and loading
    "Corpus": "corpus",
    "load_corpus": "corpus",
    "read_articles": "articles",
    "normalize_text": "articles",
    "LoadError": "articles",
    # paragraphs, sentences, tokens
    "split_paragraphs": "tokens",
    "split_sentences": "tokens",
    "tokenize": "tokens",
    "load_stopwords": "tokens",
    # actors
    "load_actors": "actors",
    "find_actors": "actors",
    "discover_actors": "actors",
    "cooccurrence": "actors",
    "actor_counts": "actors",
    # statements and sentiment
    "load_reporting_verbs": "statements",
    "extract_statements": "statements",
    "score_sentiment": "sentiment",
    "load_news_lexicon": "sentiment",
    # issues
    "load_issues": "issues",
    "count_issues": "issues",
    "coverage": "issues",
    "kwic": "issues",
    "keyness": "issues",
    "article_issues": "issues",
    "issue_evidence": "issues",
    # comparing outlets
    "align_statements": "compare",
    "sourcing_profile": "compare",
    "omissions": "compare",
    "find_syndication": "compare",
    "statement_variants": "compare",
    "statement_groups": "compare",
    "near_duplicates": "compare",
    # scale (the Dask engine is imported only when asked for)
    "export_dask": "scale",
    # submodules
    "plots": None,
    "widgets": None,
}

__all__ = sorted(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'analystkit' has no attribute {name!r}")
    module = _API[name]
    if module is None:
        value = importlib.import_module(f"analystkit.{name}")
    else:
        value = getattr(importlib.import_module(f"analystkit.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
