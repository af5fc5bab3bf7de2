"""analystkit.corpus: load_corpus, cached frames, filter()."""
from __future__ import annotations

import pathlib

import pandas as pd
import pytest

import analystkit as ak
from analystkit import corpus as corpus_mod

BASE = ("articles", "paragraphs", "sentences", "tokens")


def test_load_corpus_from_folder_frame_and_paths(seeds_corpus):
    assert len(seeds_corpus) == 2 and seeds_corpus.problems.empty
    paths = sorted(p for p in seeds_corpus.articles["path"])
    from_paths = ak.load_corpus(paths)
    assert list(from_paths.articles["article_id"]) == list(seeds_corpus.articles["article_id"])
    frame = ak.load_corpus(seeds_corpus.articles[["article_id", "text", "outlet"]])
    pd.testing.assert_frame_equal(frame.sentences, seeds_corpus.sentences)


def test_frames_are_computed_once(monkeypatch):
    calls = {"n": 0}
    real = corpus_mod.split_sentences

    def counting(paragraphs):
        calls["n"] += 1
        return real(paragraphs)

    monkeypatch.setattr(corpus_mod, "split_sentences", counting)
    c = ak.load_corpus(pd.DataFrame({"text": ["Title\nOne sentence here. Another one."]}))
    first = c.sentences
    assert c.sentences is first and c.tokens is not None
    assert calls["n"] == 1


def test_functions_do_not_mutate_inputs(seeds_corpus):
    arts = seeds_corpus.articles.copy(deep=True)
    paras = ak.split_paragraphs(seeds_corpus.articles)
    sents = ak.split_sentences(paras)
    paras_copy, sents_copy = paras.copy(deep=True), sents.copy(deep=True)
    ak.tokenize(sents)
    ak.split_sentences(paras)
    pd.testing.assert_frame_equal(seeds_corpus.articles, arts)
    pd.testing.assert_frame_equal(paras, paras_copy)
    pd.testing.assert_frame_equal(sents, sents_copy)


def test_filter_restricts_every_computed_frame_consistently(seeds_corpus):
    for name in BASE:
        getattr(seeds_corpus, name)
    sub = seeds_corpus.filter(outlet="NENC Media Group")
    assert list(sub.articles["outlet"]) == ["NENC Media Group"]
    for name in BASE:
        frame = getattr(sub, name)
        assert set(frame["article_id"].astype(str)) == {"000_8dc717fc6404ebb9"}, name
        full = getattr(seeds_corpus, name)
        assert len(frame) == (full["article_id"].astype(str) == "000_8dc717fc6404ebb9").sum()
    # restricted, not recomputed: identical rows to the full corpus
    s = seeds_corpus.sentences
    pd.testing.assert_frame_equal(sub.sentences, s[s.article_id == "000_8dc717fc6404ebb9"].reset_index(drop=True))
    assert len(seeds_corpus.articles) == 2  # the original is untouched


def test_filter_by_ids_lists_and_errors(seeds_corpus):
    both = seeds_corpus.filter(outlet=seeds_corpus.outlets)
    assert len(both) == 2
    one = seeds_corpus.filter(article_id=["003_95e1eeef8a0d92cd"])
    assert list(one.articles["article_id"]) == ["003_95e1eeef8a0d92cd"]
    assert len(one.tokens) == (seeds_corpus.tokens["article_id"] == "003_95e1eeef8a0d92cd").sum()
    with pytest.raises(KeyError, match="no such outlet"):
        seeds_corpus.filter(outlet="Nope News")
    with pytest.raises(KeyError, match="no such article"):
        seeds_corpus.filter(article_id="zzz")
    empty = seeds_corpus.filter(outlet=[])
    assert len(empty) == 0 and len(empty.sentences) == 0


def test_sentence_of_traces_a_span(seeds_corpus):
    s = seeds_corpus.sentences.iloc[5]
    hit = seeds_corpus.sentence_of(s.article_id, s.start + 3, s.start + 8)
    assert list(hit["sentence_id"]) == [s.sentence_id]


def test_repr_mentions_counts(seeds_corpus):
    assert "2 articles" in repr(seeds_corpus)


def test_paragraphs_reuse_the_layouts_parsed_while_reading():
    """load_corpus hands read_articles' layout spans to split_paragraphs once (no second
    parse); the frame is the one split_paragraphs computes from the texts alone."""
    from analystkit.tokens import split_paragraphs

    c = ak.load_corpus(pathlib.Path(__file__).parent / "fixtures" / "heldout")
    assert c._layout_spans and set(c._layout_spans) == set(c.articles["article_id"])
    paragraphs = c.paragraphs
    assert c._layout_spans is None                         # used once, then dropped
    pd.testing.assert_frame_equal(paragraphs, split_paragraphs(c.articles))
    assert c.filter(outlet=c.outlets[0]).paragraphs["article_id"].isin(c.articles["article_id"]).all()
