"""The on-disk frame cache: load_corpus(..., cache=...) (analystkit.cache).

Stage functions are wrapped with call counters, so the tests check *what is recomputed*,
not timings. The analysis stages (actors, statements, sentiment, issues) are replaced by
small fakes through ``corpus._stage`` so these tests depend only on the foundation.
"""
from __future__ import annotations

import collections
import pathlib
import shutil

import pandas as pd
import pytest

import analystkit.corpus as corpus_mod
from analystkit import cache as C
from analystkit.corpus import load_corpus

SEEDS = pathlib.Path(__file__).resolve().parent.parent / "seeds"
ALL = ["paragraphs", "sentences", "tokens", "mentions", "statements", "issue_hits", "coverage"]


# --------------------------------------------------------------------------- fixtures
def _fake_find_actors(sentences, *, codebook=None, **_):
    """A mention per occurrence of each codebook name (enough to see the codebook matter)."""
    rows = []
    names = list(codebook["actor"]) if codebook is not None else []
    for aid, sid, start, text in zip(sentences["article_id"], sentences["sentence_id"],
                                     sentences["start"], sentences["text"]):
        for name in names:
            i = text.find(name)
            if i >= 0:
                rows.append({"article_id": aid, "sentence_id": int(sid), "start": int(start + i),
                             "end": int(start + i + len(name)), "actor": name})
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "start", "end", "actor"])


def _fake_load_actors(path=None):
    if path is None:
        return pd.DataFrame({"actor": ["Moscow", "Kyiv"]})
    names = [ln.strip() for ln in pathlib.Path(path).read_text().splitlines() if ln.strip()]
    return pd.DataFrame({"actor": names})


def _fake_extract_statements(sentences, *, mentions=None, **_):
    m = mentions if mentions is not None else pd.DataFrame(columns=["article_id", "sentence_id"])
    return pd.DataFrame({"article_id": m["article_id"], "statement_id": range(len(m)),
                         "text": m["actor"] if "actor" in m else []})


def _fake_score_sentiment(frame, **_):
    return frame.assign(compound=0.0)


def _fake_load_issues(path=None):
    return {"territory": "territor"} if path is None else {
        ln.split(":")[0]: ln.split(":")[1] for ln in pathlib.Path(path).read_text().splitlines() if ":" in ln}


def _fake_count_issues(sentences, *, codebook=None, **_):
    rows = []
    for aid, sid, start, text in zip(sentences["article_id"], sentences["sentence_id"],
                                     sentences["start"], sentences["text"]):
        for issue, stem in (codebook or {}).items():
            i = text.lower().find(stem)
            if i >= 0:
                rows.append({"article_id": aid, "sentence_id": int(sid), "issue": issue,
                             "term": stem, "start": int(start + i), "end": int(start + i + len(stem))})
    return pd.DataFrame(rows, columns=["article_id", "sentence_id", "issue", "term", "start", "end"])


def _fake_coverage(corpus, **_):
    h = corpus.issue_hits
    return h.groupby("issue").size().rename("hits").reset_index()


FAKES = {
    ("actors", "find_actors"): _fake_find_actors,
    ("actors", "load_actors"): _fake_load_actors,
    ("statements", "extract_statements"): _fake_extract_statements,
    ("statements", "load_reporting_verbs"): lambda path=None: ["said"],
    ("sentiment", "score_sentiment"): _fake_score_sentiment,
    ("issues", "load_issues"): _fake_load_issues,
    ("issues", "count_issues"): _fake_count_issues,
    ("issues", "coverage"): _fake_coverage,
}

# which counted function computes which frame
COUNTED = {"_read_articles": "articles", "split_paragraphs": "paragraphs",
           "split_sentences": "sentences", "tokenize": "tokens", "find_actors": "mentions",
           "extract_statements": "statements", "count_issues": "issue_hits", "coverage": "coverage"}


@pytest.fixture
def calls(monkeypatch):
    """Counts calls of every stage function (real foundation stages, fake analyses)."""
    counter: collections.Counter = collections.Counter()

    def counted(name, fn):
        def wrapper(*a, **k):
            if name in COUNTED:          # codebook loaders and score_sentiment are not frames
                counter[COUNTED[name]] += 1
            return fn(*a, **k)
        return wrapper

    for name in ("_read_articles", "split_paragraphs", "split_sentences", "tokenize"):
        monkeypatch.setattr(corpus_mod, name, counted(name, getattr(corpus_mod, name)))

    def fake_stage(module, name):
        return counted(name, FAKES[(module, name)])

    monkeypatch.setattr(corpus_mod, "_stage", fake_stage)
    return counter


@pytest.fixture
def corpus_dir(tmp_path):
    d = tmp_path / "corpus"
    shutil.copytree(SEEDS, d, ignore=shutil.ignore_patterns(".*"))  # not the notebooks' cache
    (d / "extra.txt").write_text("Talks in Kyiv\n\nOfficials in Kyiv said the territory talks would go on.\n",
                                 encoding="utf-8")
    return d


def _all_frames(c):
    return {name: getattr(c, name) for name in ["articles", "problems", *ALL]}


# --------------------------------------------------------------------------- behaviour
def test_reload_of_unchanged_corpus_recomputes_nothing(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    first = _all_frames(load_corpus(corpus_dir, cache=store))
    assert set(calls) == {"articles", *ALL} and all(v == 1 for v in calls.values())
    calls.clear()
    second = _all_frames(load_corpus(corpus_dir, cache=store))
    assert sum(calls.values()) == 0, f"recomputed: {dict(calls)}"
    for name in first:                   # identical frames, dtypes included
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_changed_actor_codebook_recomputes_mentions_and_statements_only(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    actors = tmp_path / "actors.txt"
    actors.write_text("Moscow\nKyiv\n")
    before = _all_frames(load_corpus(corpus_dir, cache=store, actors=actors))
    calls.clear()
    actors.write_text("Moscow\nKyiv\nWashington\n")
    after = _all_frames(load_corpus(corpus_dir, cache=store, actors=actors))
    assert dict(calls) == {"mentions": 1, "statements": 1}
    assert len(after["mentions"]) > len(before["mentions"])         # the new actor is found
    assert "Washington" in set(after["mentions"]["actor"])
    # and reverting the codebook is a cache miss again (only the newest entry is kept)
    calls.clear()
    actors.write_text("Moscow\nKyiv\n")
    _all_frames(load_corpus(corpus_dir, cache=store, actors=actors))
    assert dict(calls) == {"mentions": 1, "statements": 1}


def test_changed_issue_codebook_recomputes_issue_hits_and_coverage_only(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    issues = tmp_path / "issues.txt"
    issues.write_text("territory:territor\n")
    _all_frames(load_corpus(corpus_dir, cache=store, issues=issues))
    calls.clear()
    issues.write_text("territory:territor\nnato:nato\n")
    after = _all_frames(load_corpus(corpus_dir, cache=store, issues=issues))
    assert dict(calls) == {"issue_hits": 1, "coverage": 1}
    assert "nato" in set(after["issue_hits"]["issue"])


def test_changed_stopwords_recompute_tokens_not_sentences(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    sw = tmp_path / "stop.txt"
    sw.write_text("the\n")
    _all_frames(load_corpus(corpus_dir, cache=store, stopwords=sw))
    calls.clear()
    # a new file: tokens.load_stopwords caches by path within a process (see docs/notes/issue-7.md)
    sw = tmp_path / "stop2.txt"
    sw.write_text("the\nof\n")
    after = load_corpus(corpus_dir, cache=store, stopwords=sw)
    _all_frames(after)
    assert dict(calls) == {"tokens": 1, "coverage": 1}
    assert after.tokens.loc[after.tokens["lower"] == "of", "is_stop"].all()


@pytest.mark.parametrize("change", ["edit", "add", "remove", "rename"])
def test_changed_file_recomputes_every_frame(calls, corpus_dir, tmp_path, change):
    store = tmp_path / "cache"
    first = _all_frames(load_corpus(corpus_dir, cache=store))
    calls.clear()
    extra = corpus_dir / "extra.txt"
    if change == "edit":
        extra.write_text(extra.read_text() + "Moscow said the territory question stays open.\n")
    elif change == "add":
        (corpus_dir / "more.txt").write_text("Another story\n\nKyiv said so about territory.\n")
    elif change == "remove":
        extra.unlink()
    else:
        extra.rename(corpus_dir / "renamed.txt")
    second = _all_frames(load_corpus(corpus_dir, cache=store))
    assert dict(calls) == {name: 1 for name in ["articles", *ALL]}
    assert not first["sentences"].equals(second["sentences"])


def test_metadata_sidecar_change_invalidates(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    _all_frames(load_corpus(corpus_dir, cache=store))
    calls.clear()
    meta = corpus_dir / "metadata.csv"
    meta.write_text("article_id,outlet\nextra,Kyiv Herald\n")
    c = load_corpus(corpus_dir, cache=store)
    assert calls["articles"] == 1
    assert "Kyiv Herald" in set(c.articles["outlet"])


def test_default_cache_dir_is_inside_the_corpus_folder_and_not_read_as_input(calls, corpus_dir):
    a = load_corpus(corpus_dir, cache=True)
    _all_frames(a)
    cache_dir = corpus_dir / C.DEFAULT_DIRNAME
    assert cache_dir.is_dir() and any(cache_dir.glob("tokens-*.parquet"))
    calls.clear()
    b = load_corpus(corpus_dir, cache=True)     # the cache folder is not an input: same key
    _all_frames(b)
    assert sum(calls.values()) == 0
    pd.testing.assert_frame_equal(a.articles, b.articles)
    assert len(b.problems) == len(a.problems)


def test_env_var_overrides_default_dir(calls, corpus_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("ANALYSTKIT_CACHE_DIR", str(tmp_path / "elsewhere"))
    _all_frames(load_corpus(corpus_dir, cache=True))
    assert any((tmp_path / "elsewhere").glob("articles-*.parquet"))
    assert not (corpus_dir / C.DEFAULT_DIRNAME).exists()


def test_no_cache_by_default_and_filter_never_uses_the_cache(calls, corpus_dir, tmp_path):
    c = load_corpus(corpus_dir)
    _all_frames(c)
    assert not (corpus_dir / C.DEFAULT_DIRNAME).exists()
    cached = load_corpus(corpus_dir, cache=tmp_path / "cache")
    _all_frames(cached)
    calls.clear()
    sub = cached.filter(article_id="extra")
    cov = sub.coverage                       # recomputed from the restricted frames
    assert calls["coverage"] == 1
    assert set(sub.sentences["article_id"]) == {"extra"}
    assert cov["hits"].sum() == len(sub.issue_hits)


def test_dataframe_source_is_cached_by_content(calls, tmp_path):
    df = pd.DataFrame({"article_id": ["a", "b"], "text": ["Kyiv said no.\n", "Moscow said yes.\n"]})
    store = tmp_path / "cache"
    _all_frames(load_corpus(df, cache=store))
    calls.clear()
    _all_frames(load_corpus(df.copy(), cache=store))
    assert sum(calls.values()) == 0
    df2 = df.assign(text=["Kyiv said no.\n", "Moscow said maybe.\n"])
    _all_frames(load_corpus(df2, cache=store))
    assert calls["articles"] == 1 and calls["tokens"] == 1


def test_corrupt_cache_entry_is_a_miss_not_an_error(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    _all_frames(load_corpus(corpus_dir, cache=store))
    for p in store.glob("tokens-*.parquet"):
        p.write_bytes(b"not parquet")
    calls.clear()
    c = load_corpus(corpus_dir, cache=store)
    _all_frames(c)
    assert dict(calls) == {"tokens": 1}
    assert len(c.tokens) > 0


def test_cache_does_not_grow_with_edits(calls, corpus_dir, tmp_path):
    store = tmp_path / "cache"
    extra = corpus_dir / "extra.txt"
    for i in range(3):
        extra.write_text(f"Story {i}\n\nKyiv said {i}.\n")
        _all_frames(load_corpus(corpus_dir, cache=store))
    names = sorted(p.name.split("-")[0] for p in store.glob("*.parquet"))
    assert names == sorted(["articles", "problems", *ALL])


# --------------------------------------------------------------------------- pieces
@pytest.mark.parametrize("frame", [
    pd.DataFrame({"s": pd.Series(["a", "b"], dtype="str"), "o": pd.Series([None, "x"], dtype=object),
                  "l": [["p", "q"], []],
                  "c": pd.Categorical(["k", "k"]), "i": pd.array([1, 2], dtype="int32"),
                  "b": [True, False], "f": [0.5, float("nan")]}),
    pd.DataFrame({"o": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}),
])
def test_parquet_round_trip_keeps_dtypes_lists_and_none(tmp_path, frame):
    C.write_frame(frame, tmp_path / "f.parquet")
    back = C.read_frame(tmp_path / "f.parquet")
    pd.testing.assert_frame_equal(frame, back)
    if len(frame):
        assert back["l"][0] == ["p", "q"] and isinstance(back["l"][0], list)
        assert back["o"][0] is None


def test_content_hash_is_stable_and_content_based(tmp_path):
    a = pd.DataFrame({"actor": ["X", "Y"], "aliases": [["x"], ["y", "yy"]]})
    assert C.content_hash(a) == C.content_hash(a.copy())
    assert C.content_hash(a) != C.content_hash(a.assign(actor=["X", "Z"]))
    assert C.content_hash({"a": 1, "b": 2}) == C.content_hash({"b": 2, "a": 1})
    assert C.content_hash({1, 2}) == C.content_hash({2, 1})
    assert C.content_hash("1") != C.content_hash(1)

    class Opaque:                    # an object whose repr has a memory address
        __slots__ = ()
    assert C.content_hash(Opaque()) == C.content_hash(Opaque())
    f = tmp_path / "f.txt"
    f.write_text("one")
    h1 = C.content_hash(f)
    f.write_text("two")
    assert C.content_hash(f) != h1


def test_stage_keys_depend_only_on_their_codebooks(tmp_path):
    base = C.input_key(SEEDS)
    a1, a2 = tmp_path / "a1.yaml", tmp_path / "a2.yaml"
    a1.write_text("one")
    a2.write_text("two")
    k1 = {n: C.stage_key(base, n, {"actors": a1}) for n in C.STAGE_DEPENDS}
    k2 = {n: C.stage_key(base, n, {"actors": a2}) for n in C.STAGE_DEPENDS}
    changed = {n for n in k1 if k1[n] != k2[n]}
    assert changed == {"mentions", "statements", "statement_groups", "sourcing_profile"}


def test_open_cache_arguments(tmp_path):
    assert C.open_cache(None) is None and C.open_cache(False) is None
    fc = C.open_cache(tmp_path / "x")
    assert isinstance(fc, C.FrameCache) and fc.root == tmp_path / "x"
    assert C.open_cache(fc) is fc
    with pytest.raises(TypeError, match="cache must be"):
        C.open_cache(3.5)


def test_real_pipeline_frames_come_back_identical(tmp_path):
    """No fakes: every frame of the real pipeline survives the Parquet cache unchanged."""
    from analystkit.corpus import FRAME_NAMES
    store = tmp_path / "cache"
    first = load_corpus(SEEDS, cache=store).frames()
    again = load_corpus(SEEDS, cache=store)
    assert again._cache.store.stats["hits"] == 2          # articles + problems, nothing read
    second = again.frames()
    assert again._cache.store.stats["misses"] == 0
    for name in FRAME_NAMES:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)
