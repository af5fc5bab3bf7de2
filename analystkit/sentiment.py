"""Tone of statements (or any text column) with VADER, plus a small news-domain adjustment.

    statements = score_sentiment(statements)                 # VADER + data/news_lexicon.txt
    statements = score_sentiment(statements, lexicon="vader")   # plain VADER

Adds, to a copy of the frame (same rows, same order): ``compound`` (-1..1), ``pos``, ``neu``,
``neg`` (shares of the text, summing to ~1) and ``tone`` (negative/neutral/positive; compound
<= -0.05 / >= 0.05, VADER's own thresholds). Statements are scored on their ``text`` column,
which holds the reported content only (not the speaker or cue), so "Kremlin aide said" does
not colour the score.

VADER's lexicon ships inside the ``vaderSentiment`` wheel; nothing is downloaded.
VADER is a general social-media lexicon and is weak on diplomatic news: it scores topic words
("peace", "war", "relief" in "sanctions relief") and misses "deadlock", "stalemate",
"no compromise", "breakthrough". ``data/news_lexicon.txt`` adjusts a few dozen terms (multiword
terms are allowed); it was kept only because it measurably helps on a labelled set (see
``docs/notes/issue-4.md`` for the figures and the held-out check).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ._data import read_data_text

__all__ = ["SentimentError", "load_news_lexicon", "score_sentiment"]

TONE_THRESHOLD = 0.05
SCORE_COLUMNS = ["compound", "pos", "neu", "neg", "tone"]


class SentimentError(ValueError):
    """Bad input to the sentiment module (names the file or column and the problem)."""


def load_news_lexicon(path=None) -> dict:
    """Read a VADER adjustment file: one ``term<TAB>valence`` (or ``term | valence``) per line.

    ``term`` is a word or a phrase (lower-cased when matched), ``valence`` a number in
    [-4, 4] (VADER's scale; 0 neutralises a topic word). ``#`` starts a comment. ``path=None``
    reads the packaged ``analystkit/data/news_lexicon.txt``. A malformed line raises
    :class:`SentimentError` naming the file, the entry and the line number.
    """
    try:
        text, name = read_data_text(path, "news_lexicon.txt")
    except OSError as exc:
        raise SentimentError(f"{path}: cannot read lexicon file ({exc})") from exc
    out: dict[str, float] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"\t+|\s*\|\s*", line) if p.strip()]
        if len(parts) != 2:
            raise SentimentError(f"{name}, line {lineno}: entry {line!r} is not "
                                 f"'term<TAB>valence'")
        term, val = parts
        try:
            v = float(val)
        except ValueError:
            raise SentimentError(f"{name}, line {lineno}: entry {term!r} has a non-numeric "
                                 f"valence {val!r}") from None
        if not -4.0 <= v <= 4.0:
            raise SentimentError(f"{name}, line {lineno}: entry {term!r} has valence {v} "
                                 f"outside [-4, 4]")
        out[" ".join(term.lower().split())] = v
    return out


class _Scorer:
    """A VADER analyzer with adjustments; multiword terms are fused into one token."""

    def __init__(self, adjustments: dict):
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        self.vader = SentimentIntensityAnalyzer()
        self.phrases = {}
        for term, v in adjustments.items():
            if " " in term:
                token = term.replace(" ", "_").replace("-", "_")
                self.phrases[term] = token
                self.vader.lexicon[token] = v
            else:
                self.vader.lexicon[term] = v
        if self.phrases:
            alts = sorted(self.phrases, key=len, reverse=True)
            self.regex = re.compile(r"\b(" + "|".join(
                r"\s+".join(map(re.escape, p.split())) for p in alts) + r")\b", re.IGNORECASE)
        else:
            self.regex = None

    def prepare(self, text: str) -> str:
        if self.regex is None:
            return text
        return self.regex.sub(lambda m: self.phrases[" ".join(m.group(1).lower().split())],
                              text)

    def score(self, text) -> tuple:
        if text is None or (not isinstance(text, str) and pd.isna(text)) or not str(text).strip():
            return 0.0, 0.0, 1.0, 0.0
        # typographic quotes/apostrophes confuse VADER's tokenizer ("don’t")
        t = str(text).translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"',
                                               "«": '"', "»": '"', "„": '"'}))
        s = self.vader.polarity_scores(self.prepare(t))
        return s["compound"], s["pos"], s["neu"], s["neg"]


_SCORERS: dict = {}


def _scorer(lexicon) -> _Scorer:
    if isinstance(lexicon, dict):
        return _Scorer({" ".join(str(k).lower().split()): float(v) for k, v in lexicon.items()})
    if lexicon is None or lexicon == "vader":
        key = ("vader",)
    elif lexicon == "news":
        key = ("news",)
    elif isinstance(lexicon, (str, Path)):
        key = ("file", str(Path(lexicon).resolve()))
    else:
        raise SentimentError(f"lexicon must be 'news', 'vader', a file path or a dict, "
                             f"got {type(lexicon).__name__}")
    if key not in _SCORERS:
        adj = {} if key[0] == "vader" else load_news_lexicon(None if key[0] == "news"
                                                               else key[1])
        _SCORERS[key] = _Scorer(adj)
    return _SCORERS[key]


def tone_of(compound: float, threshold: float = TONE_THRESHOLD) -> str:
    """negative / neutral / positive from a compound score."""
    if compound >= threshold:
        return "positive"
    if compound <= -threshold:
        return "negative"
    return "neutral"


def score_sentiment(frame, *, text_column="text", lexicon="news") -> pd.DataFrame:
    """Score the tone of each row's ``text_column``; one row per input row.

    Returns a copy of ``frame`` with ``compound, pos, neu, neg, tone`` added (replaced if
    present). ``lexicon``: ``"news"`` (VADER + the packaged news adjustments), ``"vader"``
    (plain VADER), a path to your own adjustment file, or a ``{term: valence}`` dict.
    Empty or missing text scores 0 (neutral); no row is dropped.
    """
    if not isinstance(frame, pd.DataFrame):
        raise SentimentError(f"score_sentiment needs a DataFrame, got {type(frame).__name__}")
    if text_column not in frame.columns:
        raise SentimentError(f"score_sentiment: the frame has no column {text_column!r} "
                             f"(columns: {list(frame.columns)})")
    scorer = _scorer(lexicon)
    out = frame.drop(columns=[c for c in SCORE_COLUMNS if c in frame.columns]).copy()
    cache: dict = {}
    rows = []
    for t in frame[text_column].tolist():
        k = None if t is None or (not isinstance(t, str) and pd.isna(t)) else str(t)
        if k not in cache:
            cache[k] = scorer.score(k)
        rows.append(cache[k])
    scores = pd.DataFrame(rows, columns=["compound", "pos", "neu", "neg"], index=out.index,
                          dtype="float64")
    for c in ["compound", "pos", "neu", "neg"]:
        out[c] = scores[c]
    out["tone"] = pd.Categorical([tone_of(c) for c in scores["compound"]],
                                 categories=["negative", "neutral", "positive"])
    return out
