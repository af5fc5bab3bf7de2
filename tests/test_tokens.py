"""analystkit.tokens: paragraphs, sentences, tokens; offsets always slice back to the text."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import analystkit as ak
from analystkit.tokens import load_stopwords, split_paragraphs, split_sentences, tokenize


def _sentences(text):
    arts, _ = ak.read_articles(pd.DataFrame({"text": [text]}))
    return list(split_sentences(split_paragraphs(arts))["text"])


@pytest.mark.parametrize("text, expected", [
    ("The U.S. delegation left. Talks ended.", ["The U.S. delegation left.", "Talks ended."]),
    ("The U. S. pieces were sent. Moscow waited.", ["The U. S. pieces were sent.", "Moscow waited."]),
    ("Talks ran until 11 p.m. Moscow time. Then they ended.",
     ["Talks ran until 11 p.m. Moscow time.", "Then they ended."]),
    ("Gen. Valery Gerasimov attended. Mr. Witkoff did too.",
     ["Gen. Valery Gerasimov attended.", "Mr. Witkoff did too."]),
    ("George W. Bush was not mentioned. Nor was anyone else.",
     ["George W. Bush was not mentioned.", "Nor was anyone else."]),
    ('"We are ready," he said. "Not further, that\'s for sure."',
     ['"We are ready," he said.', '"Not further, that\'s for sure."']),
    ("He said “no.” Then he left.", ["He said “no.”", "Then he left."]),
    ("Is a deal close? Nobody knows!", ["Is a deal close?", "Nobody knows!"]),
    ("The U.N. and the E.U. agreed. Fine.", ["The U.N. and the E.U. agreed.", "Fine."]),
    ("He wrote on X. According to him, talks went well.", ["He wrote on X.", "According to him, talks went well."]),
    ("Michael J. Fox and John F. Kennedy Airport.", ["Michael J. Fox and John F. Kennedy Airport."]),
])
def test_sentence_splitting_news_abbreviations(text, expected):
    assert _sentences("Headline\n" + text)[1:] == expected


def test_subheading_never_merges_into_next_sentence():
    text = ("Title\nFirst paragraph is long enough to be a body paragraph of the article.\n"
            "What happened in Moscow\nThe meeting in the Kremlin brought a U.S. delegation.")
    assert _sentences(text) == ["Title", "First paragraph is long enough to be a body paragraph of the article.",
                                "What happened in Moscow", "The meeting in the Kremlin brought a U.S. delegation."]


def test_sentences_exclude_byline_sources_trailer_and_dateline(seeds_corpus):
    s = seeds_corpus.sentences
    joined = " ".join(s["text"])
    assert "Written by" not in joined and "Sources:" not in joined and "Comments" not in joined
    first_body = s[(s.article_id == "000_8dc717fc6404ebb9") & (s.kind == "body")].iloc[0]
    assert first_body.text.startswith("Talks between senior United States envoys")
    assert set(s["kind"]) <= {"headline", "standfirst", "subheading", "body"}


@pytest.mark.parametrize("text, tokens", [
    ("Russia’s plan", ["Russia", "’s", "plan"]),
    ("Ukraine's NATO bid", ["Ukraine", "'s", "NATO", "bid"]),
    ("The U.S. and the U. S.", ["The", "U.S.", "and", "the", "U. S."]),
    ("a 28-point plan, full-scale", ["a", "28-point", "plan", ",", "full-scale"]),
    ("don't", ["do", "n't"]),
    ("$1,000.50 and 3.5%", ["$1,000.50", "and", "3.5%"]),
    ("“quite good” –land", ["“", "quite", "good", "”", "–", "land"]),
    ("Gen. Gerasimov at 11 p.m.", ["Gen.", "Gerasimov", "at", "11", "p.m."]),
    ("O'Brien…", ["O'Brien", "…"]),
    ("see https://example.com/a-b.", ["see", "https://example.com/a-b", "."]),
])
def test_tokenizer_table(text, tokens):
    sents = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "start": [0], "text": [text]})
    assert list(tokenize(sents)["token"]) == tokens


def test_token_flags():
    sents = pd.DataFrame({"article_id": ["a"], "sentence_id": [0], "start": [0],
                          "text": ["The talks did not end, no deal: 28 points."]})
    t = tokenize(sents).set_index("token")
    assert t.loc["The", "is_stop"] and t.loc["The", "is_alpha"]
    assert not t.loc["not", "is_stop"] and not t.loc["no", "is_stop"]  # negations kept
    assert t.loc[",", "is_punct"] and not t.loc[",", "is_alpha"]
    assert not t.loc["28", "is_alpha"] and not t.loc["28", "is_punct"]
    assert t.loc["The", "lower"] == "the"


def test_stopwords_keep_negations_and_accept_user_list(tmp_path):
    stop = load_stopwords()
    assert {"the", "and", "of"} <= stop
    assert not {"not", "no", "nor", "never", "n't", "without"} & stop
    p = tmp_path / "stop.txt"
    p.write_text("# mine\nKremlin\n", encoding="utf-8")
    assert load_stopwords(p) == {"kremlin"}
    bad = tmp_path / "bad.txt"
    bad.write_text("two words\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad.txt, line 1"):
        load_stopwords(bad)


def test_ids_count_within_each_article(seeds_corpus):
    for frame, col in ((seeds_corpus.sentences, "sentence_id"), (seeds_corpus.tokens, "token_id")):
        for _, g in frame.groupby("article_id", observed=True):
            assert list(g[col]) == list(range(len(g)))


def test_offsets_slice_back_on_seeds_and_fixtures(seeds_corpus, messy_corpus):
    for corpus in (seeds_corpus, messy_corpus):
        texts = dict(zip(corpus.articles.article_id, corpus.articles.text))
        for frame, col in ((corpus.paragraphs, "text"), (corpus.sentences, "text"), (corpus.tokens, "token")):
            for aid, s, e, t in zip(frame.article_id, frame.start, frame.end, frame[col]):
                assert texts[aid][s:e] == t


_texty = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from(list("  \n\n..,;:!?\"'“”‘’«»—–-\u2011\u00a0\\#*()[]U.S.p.m.Mr.")),
    ),
    max_size=400,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(_texty, min_size=1, max_size=3))
def test_offsets_exact_property(texts):
    """For arbitrary unicode input, every paragraph, sentence and token slices back exactly."""
    df = pd.DataFrame({"text": texts, "article_id": [f"a{i}" for i in range(len(texts))]})
    df = df[df["text"].map(lambda t: bool(ak.normalize_text(t)))]
    if df.empty:
        return
    arts, _ = ak.read_articles(df)
    texts_by_id = dict(zip(arts.article_id, arts.text))
    paras = split_paragraphs(arts)
    sents = split_sentences(paras)
    toks = tokenize(sents)
    for frame, col in ((paras, "text"), (sents, "text"), (toks, "token")):
        for aid, s, e, t in zip(frame.article_id, frame.start, frame.end, frame[col]):
            assert texts_by_id[aid][s:e] == t
            assert s < e or col == "text"
    # tokens lie inside their sentence, sentences inside their paragraph
    bounds = {(a, i): (s, e) for a, i, s, e in zip(sents.article_id, sents.sentence_id, sents.start, sents.end)}
    for aid, sid, s, e in zip(toks.article_id, toks.sentence_id, toks.start, toks.end):
        ss, se = bounds[(aid, sid)]
        assert ss <= s and e <= se


def test_sentence_merge_regex_shortcuts_are_exact():
    """_sentence_spans searches only the tail for _NO_BREAK_BEFORE_RE and gates
    _LONE_CAPITAL_END_RE with a cheap scan: both must agree with the full search."""
    import random

    from analystkit import tokens as T

    rng = random.Random(11)
    alphabet = ["A", "B", "U", "S", ".", " ", "  ", "\n", '"', "’", ")", "x", "ab", "Mr", "Sept",
                "a", "m", "e", "g", "i", "The", "on", "X", "\u00a0", "\t"]
    samples = ["U. S. ", "A. B. C. D.  ", "on X. According", "p. m.\n", 'Sept." ', "George W. Bush"]
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(5000)]
    for s in samples:
        tail = s.rstrip()
        fast = T._NO_BREAK_BEFORE_RE.search(tail, max(0, len(tail) - T._NO_BREAK_MAX))
        assert bool(fast) == bool(T._NO_BREAK_BEFORE_RE.search(s)), repr(s)
        if T._LONE_CAPITAL_END_RE.search(s):
            assert T._LONE_CAPITAL_GATE_RE.search(s), repr(s)
