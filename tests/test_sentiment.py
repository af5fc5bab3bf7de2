"""Tests for analystkit.sentiment: VADER scores, the news lexicon, and its measured benefit."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import analystkit as ak
from analystkit.sentiment import (
    SentimentError,
    load_news_lexicon,
    score_sentiment,
    tone_of,
)

LABELLED = Path(__file__).parent / "fixtures" / "sentiment" / "labelled.csv"


def labelled():
    d = pd.read_csv(LABELLED)
    # the split used when the lexicon was chosen: rows i % 5 in {0, 1, 2} were looked at
    d["split"] = ["dev" if i % 5 in (0, 1, 2) else "holdout" for i in range(len(d))]
    return d


def accuracy_and_macro_f1(gold, pred):
    gold, pred = list(gold), list(pred)
    acc = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    f1s = []
    for c in ("negative", "neutral", "positive"):
        tp = sum(g == c and p == c for g, p in zip(gold, pred))
        fp = sum(g != c and p == c for g, p in zip(gold, pred))
        fn = sum(g == c and p != c for g, p in zip(gold, pred))
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return acc, sum(f1s) / 3


def test_labelled_set_is_big_and_balanced_enough():
    d = labelled()
    assert len(d) >= 80
    assert set(d["tone"]) == {"negative", "neutral", "positive"}
    assert d["tone"].value_counts().min() >= 20
    assert not d["text"].duplicated().any()


def test_news_lexicon_beats_plain_vader_on_the_holdout():
    d = labelled()
    hold = d[d["split"] == "holdout"]
    plain = score_sentiment(hold, lexicon="vader")
    news = score_sentiment(hold, lexicon="news")
    acc_v, f1_v = accuracy_and_macro_f1(hold["tone"], plain["tone"].astype(str))
    acc_n, f1_n = accuracy_and_macro_f1(hold["tone"], news["tone"].astype(str))
    assert acc_n > acc_v and f1_n > f1_v, (acc_v, f1_v, acc_n, f1_n)


@pytest.mark.parametrize("text, plain, news", [
    ("the talks reached a deadlock", None, "negative"),
    ("the negotiations have reached a stalemate", None, "negative"),
    ("no compromise was found", None, "negative"),
    ("sanctions relief is on the table", "positive", "neutral"),
    ("the meeting was constructive and fruitful", "neutral", "positive"),
    ("Kyiv fears backstabbing by its allies", None, "negative"),
])
def test_domain_terms(text, plain, news):
    frame = pd.DataFrame({"text": [text]})
    if plain is not None:
        assert score_sentiment(frame, lexicon="vader").loc[0, "tone"] == plain
    assert score_sentiment(frame).loc[0, "tone"] == news


def test_columns_rows_and_no_mutation():
    frame = pd.DataFrame({"text": ["great progress", "a terrible failure", "", None, "ok"],
                          "other": [1, 2, 3, 4, 5]}, index=[10, 11, 12, 13, 14])
    before = frame.copy()
    out = score_sentiment(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert list(out.index) == [10, 11, 12, 13, 14]
    assert list(out.columns) == ["text", "other", "compound", "pos", "neu", "neg", "tone"]
    assert out.loc[10, "tone"] == "positive" and out.loc[11, "tone"] == "negative"
    assert out.loc[12, "compound"] == 0 and out.loc[12, "tone"] == "neutral"
    assert out.loc[13, "neu"] == 1.0
    assert ((out["pos"] + out["neu"] + out["neg"]).round(2).between(0.99, 1.01)).all()
    again = score_sentiment(out)                   # re-scoring replaces, never duplicates
    assert list(again.columns) == list(out.columns)


def test_other_text_column_and_errors():
    frame = pd.DataFrame({"quote": ["we are very happy"]})
    assert score_sentiment(frame, text_column="quote").loc[0, "tone"] == "positive"
    with pytest.raises(SentimentError, match="no column 'text'"):
        score_sentiment(frame)
    with pytest.raises(SentimentError, match="DataFrame"):
        score_sentiment(["x"])
    with pytest.raises(SentimentError, match="lexicon must be"):
        score_sentiment(frame, text_column="quote", lexicon=3)


def test_user_lexicon_file_and_dict(tmp_path):
    f = tmp_path / "lex.txt"
    f.write_text("# mine\nhappy\t-3\nred line\t-2\n", encoding="utf-8")
    frame = pd.DataFrame({"text": ["we are happy", "this crosses a red line"]})
    out = score_sentiment(frame, lexicon=f)
    assert list(out["tone"]) == ["negative", "negative"]
    out = score_sentiment(frame, lexicon={"happy": 0.0})
    assert out.loc[0, "tone"] == "neutral"


def test_lexicon_errors_name_file_entry_and_line(tmp_path):
    f = tmp_path / "lex.txt"
    f.write_text("ok\t1\nbroken line without value\n", encoding="utf-8")
    with pytest.raises(SentimentError, match=r"lex.txt, line 2: entry 'broken line"):
        load_news_lexicon(f)
    f.write_text("deadlock\tvery bad\n", encoding="utf-8")
    with pytest.raises(SentimentError, match=r"line 1: entry 'deadlock' has a non-numeric"):
        load_news_lexicon(f)
    f.write_text("deadlock\t-9\n", encoding="utf-8")
    with pytest.raises(SentimentError, match=r"outside \[-4, 4\]"):
        load_news_lexicon(f)
    assert load_news_lexicon()["deadlock"] < 0


def test_tone_thresholds():
    assert tone_of(0.05) == "positive" and tone_of(-0.05) == "negative"
    assert tone_of(0.049) == "neutral" and tone_of(0.0) == "neutral"


def test_statements_are_scored_on_content_only():
    c = ak.load_corpus(pd.DataFrame({"text": [
        "Headline\nThe wonderful, brilliant aide Yuri Ushakov said the talks were in deadlock."]}))
    st = ak.extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    scored = score_sentiment(st)
    assert scored.loc[0, "text"] == "the talks were in deadlock"
    assert scored.loc[0, "tone"] == "negative"
