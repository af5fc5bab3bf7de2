"""Tests for analystkit.statements: quotes, reported speech, speakers, and the quality bar."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import analystkit as ak
from analystkit.statements import (
    STATEMENT_COLUMNS,
    StatementsError,
    extract_statements,
    find_quotes,
    load_reporting_verbs,
)

FIXTURES = Path(__file__).parent / "fixtures" / "statements"


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------

def corpus_of(*texts):
    return ak.load_corpus(pd.DataFrame({"text": list(texts)}))


def statements_of(*texts):
    c = corpus_of(*texts)
    st = extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    return c, st


def _tokens(s):
    return re.findall(r"\w+", unicodedata.normalize("NFKC", str(s)).lower())


def dice(a, b):
    A, B = Counter(_tokens(a)), Counter(_tokens(b))
    d = sum(A.values()) + sum(B.values())
    return 2 * sum((A & B).values()) / d if d else 0.0


def _name(s):
    s = unicodedata.normalize("NFKD", str(s)).encode("ascii", "ignore").decode().lower().strip()
    return re.sub(r"[’']s\b", "", re.sub(r"^the\s+", "", s))


def speaker_matches(row, gold_speaker):
    """Gold speaker vs predicted row: 'unattributed' <-> attribution; names leniently."""
    from rapidfuzz import fuzz
    if gold_speaker == "unattributed":
        return row["attribution"] == "unattributed"
    pred = row["speaker"]
    if pred is None or pd.isna(pred):
        return False
    g, p = _name(gold_speaker), _name(pred)
    if g == p or g in p or p in g:
        return True
    return fuzz.ratio(g.split()[-1], p.split()[-1]) >= 85


def score(statements, gold):
    """Detection and right-speaker precision/recall/F1 against gold (docs/annotation.md).

    A predicted statement matches a gold one of the same article when their token Dice is at
    least 0.5 (one-to-one, best pairs first)."""
    tp = right = npred = ngold = 0
    report = []
    for aid, g in gold.items():
        G = g["statements"]
        P = statements[statements["article_id"] == aid].to_dict("records")
        npred += len(P)
        ngold += len(G)
        pairs = sorted(((dice(p["text"], x["text"]), i, j) for i, p in enumerate(P)
                        for j, x in enumerate(G)), reverse=True)
        used_p, used_g, match = set(), set(), {}
        for sc, i, j in pairs:
            if sc < 0.5:
                break
            if i in used_p or j in used_g:
                continue
            used_p.add(i)
            used_g.add(j)
            match[j] = i
        tp += len(match)
        for j, x in enumerate(G):
            if j not in match:
                report.append(f"MISS {aid}: {x['speaker']} :: {x['text'][:80]}")
            elif speaker_matches(P[match[j]], x["speaker"]):
                right += 1
            else:
                report.append(f"SPEAKER {aid}: gold {x['speaker']!r}, got "
                              f"{P[match[j]]['speaker']!r} :: {x['text'][:60]}")
        report += [f"EXTRA {aid}: {p['speaker']} :: {p['text'][:80]}"
                   for i, p in enumerate(P) if i not in used_p]

    def f1(k):
        pr, rc = (k / npred if npred else 0.0), (k / ngold if ngold else 0.0)
        return 2 * pr * rc / (pr + rc) if pr + rc else 0.0
    return f1(tp), f1(right), report


# ------------------------------------------------------------------------------------------
# quote pairing
# ------------------------------------------------------------------------------------------

def _inner(text):
    return [text[q.inner_start:q.end] for q in find_quotes(text)]


@pytest.mark.parametrize("text, expected", [
    ("He said “we are ready” today.", ["we are ready"]),
    ('He said "we are ready" today.', ["we are ready"]),
    ("Il a dit «nous sommes prêts» hier.", ["nous sommes prêts"]),
    ("Er sagte „wir sind bereit“ gestern.", ["wir sind bereit"]),
    ("He said ‘we are ready’ today.", ["we are ready"]),
    ("“We are ready,\" he said.", ["We are ready,"]),                 # curly closed by straight
    ("Russia’s position and the allies’ view since the ’90s.", []),   # apostrophes only
    ("“Russia’s demands are clear,” he said.", ["Russia’s demands are clear,"]),
    ("“A,” he said, “B.”", ["A,", "B."]),
    ("“We will never give up our land", ["We will never give up our land"]),  # unclosed
    ("“No deal, he said, and “no surrender.”", ["No deal, he said, and", "no surrender."]),
    ("He called the plan 'a good start' and left.", ["a good start"]),
    ("", []),
    ("\"", []),
    ("“”", []),
])
def test_find_quotes(text, expected):
    assert _inner(text) == expected


def test_unclosed_quote_never_crosses_paragraphs():
    _, st = statements_of("Headline\n“We will not give up Donbas, Putin said.\n"
                          "The talks ended late. Nothing was signed, officials said.")
    assert len(st) == 2
    assert st.loc[0, "text"] == "We will not give up Donbas"
    assert st.loc[1, "text"] == "Nothing was signed"


# ------------------------------------------------------------------------------------------
# single-paragraph cases: (text, [(kind, speaker or None, cue, content)])
# ------------------------------------------------------------------------------------------

CASES = [
    # reported speech
    ("Kremlin aide Yuri Ushakov said the talks were useful but that no compromise had been found.",
     [("indirect", "Yuri Ushakov", "said",
       "the talks were useful but that no compromise had been found")]),
    ("No compromise was found on territory, Yuri Ushakov said on Tuesday.",
     [("indirect", "Yuri Ushakov", "said", "No compromise was found on territory")]),
    ("No compromise was found on territory, said Yuri Ushakov, a Kremlin aide.",
     [("indirect", "Yuri Ushakov", "said", "No compromise was found on territory")]),
    ("According to Dmitry Peskov, the meeting will take place next week.",
     [("indirect", "Dmitry Peskov", "According to", "the meeting will take place next week")]),
    ("The meeting will take place next week, according to Dmitry Peskov.",
     [("indirect", "Dmitry Peskov", "according to", "The meeting will take place next week")]),
    ("Sergei Lavrov told reporters that Europe was sabotaging the process.",
     [("indirect", "Sergei Lavrov", "told", "Europe was sabotaging the process")]),
    ("Ushakov described the talks as useful and constructive.",
     [("indirect", "Ushakov", "described ... as", "the talks as useful and constructive")]),
    ("Marco Rubio said the meeting was productive, adding that much work remained.",
     [("indirect", "Marco Rubio", "said", "the meeting was productive"),
      ("indirect", "Marco Rubio", "adding", "much work remained")]),
    ("The talks, Ushakov said, were useful.",
     [("indirect", "Ushakov", "said", "The talks, Ushakov said, were useful")]),
    # direct quotes
    ("“We are ready for a deal,” Putin told reporters.",
     [("direct", "Vladimir Putin", "told", "We are ready for a deal")]),
    ("\"We are ready,\" Putin said, \"but not at any price.\"",
     [("direct", "Vladimir Putin", "said", "We are ready,\" Putin said, \"but not at any price.")]),
    ("Putin said: «We are ready right now.»",
     [("direct", "Vladimir Putin", "said", "We are ready right now.")]),
    # anonymous sources are kept, never guessed
    ("A senior administration official said the proposal was one option among several.",
     [("indirect", None, "said", "the proposal was one option among several")]),
    ("Russian officials said the talks would continue.",
     [("indirect", None, "said", "the talks would continue")]),
    ("The deal is close, two people familiar with the matter said.",
     [("indirect", None, "said", "The deal is close")]),
    # "called X 'Y'": the speaker's own words, even when short
    ("Zelensky called the plan a “good start” and left the room.",
     [("indirect", "Volodymyr Zelensky", "called", "the plan a “good start” and left the room")]),
    # institutions
    ("The Kremlin said on Friday that it was ready to continue contacts.",
     [("indirect", "Kremlin", "said", "it was ready to continue contacts")]),
    ("The Kremlin's readout said the two leaders had discussed Ukraine.",
     [("indirect", "Kremlin", "said", "the two leaders had discussed Ukraine")]),
    # parentheticals between the speaker and the cue
    ("Olena Marchenko, 64, said the shelling had not stopped.",
     [("indirect", "Olena Marchenko", "said", "the shelling had not stopped")]),
    ("Ukraine's foreign minister, Andrii Sybiha, said Kyiv was ready.",
     [("indirect", "Andrii Sybiha", "said", "Kyiv was ready")]),
    ("Trump, speaking to reporters at the White House, said he was optimistic.",
     [("indirect", "Donald Trump", "said", "he was optimistic")]),
    ("A senior diplomat, speaking on condition of anonymity, said the text was final.",
     [("indirect", None, "said", "the text was final")]),
    # live-blog timestamps and datelines are not content
    (("14:32 GMT — Dmitry Peskov, the Kremlin spokesman, has just said that contacts will "
      "continue."), [("indirect", "Dmitry Peskov", "said", "contacts will continue")]),
    # a cue-less quote after a sentence that makes someone its subject
    ("Dmitry Peskov was blunt. “We are not in a hurry at all.”",
     [("direct", "Dmitry Peskov", None, "We are not in a hurry at all.")]),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_single_sentence_cases(text, expected):
    _c, st = statements_of("Headline without a cue\n" + text)
    got = [(r.kind, None if pd.isna(r.cue) else r.cue, r.text) for r in st.itertuples()]
    assert [(k, cue, t) for k, _s, cue, t in expected] == got, got
    for (kind, speaker, _cue, _t), row in zip(expected, st.to_dict("records")):
        if speaker is None:
            assert row["attribution"] == "unattributed"
        else:
            assert speaker_matches(row, speaker), row["speaker"]


@pytest.mark.parametrize("text", [
    "Diplomats believe the gap can still be narrowed.",                  # cognition verb
    "Many in Washington hope that a second round will produce more.",
    "Neither side has said when the next round might happen.",          # negated
    "The Kremlin aide did not say when the two sides would meet again.",
    "Witkoff has said little in public.",
    "The plan is said to contain 28 points.",                            # passive
    "The document was first reported by Axios last month.",
    "The so-called “peace plan” has 28 points.",                         # scare quotes
    "The plan, dubbed “Peace Through Strength”, has 28 points.",
    "The talks produced what one paper called “a fragile truce”.",
    "Ukraine's army, accused of delays by Washington, denies nothing.",
    "The talks failed to produce a breakthrough.",
])
def test_not_statements(text):
    _, st = statements_of("Headline without a cue\n" + text)
    assert st.empty, st[["cue", "speaker", "text"]].to_dict("records")


def test_pronoun_and_title_resolution():
    _, st = statements_of(
        "Talks end\n"
        "Kremlin aide Yuri Ushakov said the talks were long. He added that the meeting was "
        "positive.\nThe Kremlin aide said Putin had sent messages to Trump.")
    assert list(st["speaker"]) == ["Yuri Ushakov"] * 3
    assert list(st["attribution"]) == ["explicit", "pronoun", "title"]


def test_indefinite_description_of_a_named_person():
    _, st = statements_of(
        "Talks\nA top Kremlin aide said no agreement was reached on territory. Yuri Ushakov "
        "told reporters the talks were useful. A senior official said the plan was dead.")
    assert list(st["speaker"])[:2] == ["Yuri Ushakov", "Yuri Ushakov"]
    assert st.loc[0, "attribution"] == "title"
    assert st.loc[2, "attribution"] == "unattributed"      # generic: never guessed


def test_she_skips_male_candidates_when_the_codebook_has_gender():
    _, st = statements_of(
        "Talks\nMaria Zakharova, the foreign ministry spokeswoman, spoke after Sergei Lavrov. "
        "Lavrov arrived late. She said the EU proposals had nothing to do with peace.")
    row = st[st["text"].str.contains("EU proposals")].iloc[0]
    assert row["speaker"] == "Maria Zakharova"


@pytest.mark.parametrize("headline, speaker, content", [
    ("Putin Aide Says No Compromise Yet On Territory", "Yuri Ushakov",
     "No Compromise Yet On Territory"),
    ("Kremlin Says Talks With Witkoff Were Useful", "Kremlin", "Talks With Witkoff Were Useful"),
    ("Talks 'Useful' But No Breakthrough, Says Kremlin", "Kremlin",
     "Talks 'Useful' But No Breakthrough"),
    ("Talks useful but no compromise on land yet — Ushakov", "Yuri Ushakov",
     "Talks useful but no compromise on land yet"),
])
def test_title_case_and_dash_headlines(headline, speaker, content):
    _, st = statements_of(headline + "\nYuri Ushakov, a Kremlin aide, spoke on Tuesday.")
    assert len(st) == 1
    assert st.loc[0, "text"] == content and speaker_matches(st.loc[0], speaker)


def test_headline_attributions():
    _, st = statements_of("Russia ready to keep talking with US, Kremlin says\nBody text here.")
    assert st.loc[0, "text"] == "Russia ready to keep talking with US"
    assert st.loc[0, "speaker"] == "Kremlin"
    _, st = statements_of("Zelensky: no deal without Ukraine\nBody text here.")
    assert st.loc[0, "text"] == "no deal without Ukraine" and st.loc[0, "cue"] == ":"


# ------------------------------------------------------------------------------------------
# contract: columns, offsets, no mutation, errors
# ------------------------------------------------------------------------------------------

def test_columns_offsets_and_no_mutation():
    c = ak.load_corpus(str(FIXTURES / "s01_wire_kremlin.txt"))
    sentences = c.sentences.copy()
    st = extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    pd.testing.assert_frame_equal(sentences, c.sentences)
    assert list(st.columns) == STATEMENT_COLUMNS
    text = c.articles.set_index("article_id")["text"]
    for r in st.itertuples():
        t = text[r.article_id]
        assert t[r.start:r.end] == r.text
        if not pd.isna(r.cue_start):
            assert t[r.cue_start:r.cue_end].split()[0].lower() == r.cue.split()[0].lower()
        sent = c.sentences[(c.sentences.article_id == r.article_id)
                           & (c.sentences.sentence_id == r.sentence_id)].iloc[0]
        assert sent.start <= r.start < sent.end
    assert st["statement_id"].tolist() == list(range(len(st)))
    assert set(st["kind"]) <= {"direct", "indirect"}
    assert set(st["attribution"]) <= {"explicit", "pronoun", "title", "unattributed"}


def test_without_paragraphs_or_mentions_still_works():
    c = ak.load_corpus(str(FIXTURES / "s08_headline_says.txt"))
    st = extract_statements(c.sentences)          # finds the actors itself
    assert len(st) >= 8
    empty = extract_statements(c.sentences.iloc[0:0])
    assert list(empty.columns) == STATEMENT_COLUMNS and empty.empty


def test_bad_input_is_named():
    with pytest.raises(StatementsError, match="lacks columns"):
        extract_statements(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(StatementsError, match="DataFrame"):
        extract_statements(["not a frame"])


def test_verbs_file_errors_name_file_entry_and_line(tmp_path):
    bad = tmp_path / "verbs.txt"
    bad.write_text("# comment\nsay | say, said\nshout = shouted\n", encoding="utf-8")
    with pytest.raises(StatementsError, match=r"verbs.txt, line 3: entry 'shout = shouted'"):
        load_reporting_verbs(bad)
    bad.write_text("say | said | loud\n", encoding="utf-8")
    with pytest.raises(StatementsError, match=r"line 1: entry 'say' has unknown flag"):
        load_reporting_verbs(bad)
    with pytest.raises(StatementsError, match="cannot read"):
        load_reporting_verbs(tmp_path / "missing.txt")


def test_user_verbs_file_is_used(tmp_path):
    own = tmp_path / "verbs.txt"
    own.write_text("quip | quipped\n", encoding="utf-8")
    c = corpus_of("Headline\nPutin quipped that the West was tired. Putin said nothing new.")
    st = extract_statements(c.sentences, mentions=c.mentions, verbs=own)
    assert st["cue"].tolist() == ["quipped"]
    verbs = load_reporting_verbs()
    assert {"said", "told", "according to", "described ... as", "pointed out"} <= set(verbs["form"])


def test_messy_text_never_crashes():
    texts = ["“" * 5, "\"\"\" said said said", "He said", ", said Putin.", "According to",
             "“A,” he said, “B", "'90s ’ ‘ ' \" « » „ “", "said: “", "x" * 5000 + " said \"y"]
    c = corpus_of(*["Headline\n" + t for t in texts])
    st = extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    text = c.articles.set_index("article_id")["text"]
    for r in st.itertuples():
        assert text[r.article_id][r.start:r.end] == r.text


# ------------------------------------------------------------------------------------------
# the quality bar on our own fixture articles (docs/annotation.md)
# ------------------------------------------------------------------------------------------

def test_fixture_quality_bar():
    gold = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))
    assert len(gold) >= 12
    files = sorted(str(p) for p in FIXTURES.glob("*.txt"))
    c = ak.load_corpus(files)
    st = extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    detected, right_speaker, report = score(st, gold)
    assert detected >= 0.90 and right_speaker >= 0.80, "\n".join(report)


# ------------------------------------------------------------------------------------------
# property: any mix of words, cues and quote marks -> no crash, offsets exact, within paragraphs
# ------------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

_PIECES = ["Putin", "Ushakov", "the Kremlin", "he", "said", "told reporters", "according to",
           "added", "“", "”", "\"", "‘", "’", "'", "«", "»", "„", ",", ".", ":", "that", "talks",
           "were", "useful", "no", "compromise", "Russia’s", "’90s", "a senior official",
           "described", "as", "\n"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hs.lists(hs.sampled_from(_PIECES), min_size=1, max_size=40))
def test_random_text_offsets_hold(pieces):
    body = " ".join(pieces)
    c = corpus_of("Headline\n" + body)
    st = extract_statements(c.sentences, mentions=c.mentions, paragraphs=c.paragraphs)
    text = c.articles["text"].iloc[0]
    paras = c.paragraphs
    for r in st.itertuples():
        assert text[r.start:r.end] == r.text and r.end > r.start
        # never across paragraphs
        inside = paras[(paras.start <= r.start) & (r.end <= paras.end)]
        assert len(inside) == 1


# ------------------------------------------------------------------------------------------
# fast paths: each gives exactly what the plain code it stands for gives, on any text
# ------------------------------------------------------------------------------------------

import numpy as np

import analystkit.statements as S

# pieces that meet at every boundary: case variants, chars that lower-case oddly (Kelvin
# sign, long s, dotted I), digits and underscores next to words, apostrophes, hyphens
_FAST_PIECES = [
    "said", "SAID", "Said", "ſaid", "ma\u212ae", "İ", "İstanbul", "5", "_", "x", "é", "says",
    "told", "according to", "described", "the talks", "as", "point", "-blank", "point-blank",
    "has", "been", "also", "not", "n’t", "n't", "declined to", "never", "took", "to", "on",
    "Monday", "this", "week", "earlier", "and", "but", "adding", "saying", "that is what",
    "A.", "U.S.", "...", ".", ",", ";", ":", "—", "–", "-", "’", "'", "“", "”", "\"", "?",
    "!", " ", " ", "  ", "\n", "\t", "Ushakov", "Yuri Ushakov", "Kremlin aide", "a senior",
    "Sir Richard Dearlove", ", the ex-head of MI6,", "spokesman Heorhii Tykhyi", "Dr.", "Mr",
    "Peskov", "O’Brien", "von", "de",
]
_fast_texts = hs.lists(hs.sampled_from(_FAST_PIECES), max_size=30).map("".join)


def _plain_cues(matcher, text):
    """The cue matches as the matcher found them before its fast path: every letter run
    whose lower-cased form is a first word, tried with the whole alternation."""
    pos, out = 0, []
    for w in re.finditer(r"[^\W\d_]+", text):
        if w.start() < pos or w.group(0).lower() not in matcher.first_words:
            continue
        m = matcher.regex.match(text, w.start())
        if m:
            pos = m.end()
            out.append((m.span(), m.lastgroup))
    return out


_VERB_FRAMES = {
    "packaged": None,
    "custom": pd.DataFrame({
        "cue": ["say", "say", "describe", "reject", "point", "brand", "say"],
        "form": ["said", "Says", "described ... as", "point-blank rejected", "point", "o’brand",
                 "SAID that"],
        "flag": ["", "", "", "", "", "", "that"]}),
    "non-ascii first word": pd.DataFrame({
        "cue": ["say", "say"], "form": ["said", "über said"], "flag": ["", ""]}),
}


@pytest.mark.parametrize("frame", list(_VERB_FRAMES), ids=str)
@settings(max_examples=150, deadline=None)
@given(text=_fast_texts)
def test_cue_matcher_fast_path_is_the_plain_scan(frame, text):
    matcher = S._compile_verbs(S.load_reporting_verbs(_VERB_FRAMES[frame]))
    got = [(m.span(), m.lastgroup) for m in matcher.finditer(text)]
    assert got == _plain_cues(matcher, text)


@pytest.mark.parametrize("text", [
    "Ushakov SAID it. He ſaid so; she ma\u212ae clear", "İstanbul said, İ said", "said5 _said 5said",
    "He described the talks as useful and point-blank rejected it", "saidsaid said",
    "point-blank rejected", "o’brand said", "über said and said",
])
def test_cue_matcher_fast_path_tricky(text):
    for frame in _VERB_FRAMES.values():
        matcher = S._compile_verbs(S.load_reporting_verbs(frame))
        assert [(m.span(), m.lastgroup) for m in matcher.finditer(text)] == \
            _plain_cues(matcher, text)


def _group_or_none(m, g=1):
    return m.group(g) if m else None


@settings(max_examples=300, deadline=None)
@given(s=_fast_texts)
def test_reversed_tail_patterns_match_the_end_anchored_searches(s):
    assert S._lead_words(s) == _group_or_none(re.search(r"((?:[\w.’'-]+\s+){1,6})$", s))
    assert bool(S._CAP_WORD_BEFORE_REV.match(s[::-1])) == \
        bool(re.search(r"[A-Z][\w’'.-]*\s+$", s))
    assert S._skip_before_cue(s) == S._SKIP_BEFORE_CUE.search(s).start()
    m = S._LAST_WORD_REV.match(s[::-1])
    assert (m.group(1)[::-1] if m else None) == _group_or_none(re.search(r"([\w’'.]+)\s*$", s))
    m = S._LAST_HYPHEN_WORD_REV.match(s[::-1])
    assert (m.group(1)[::-1] if m else None) == _group_or_none(re.search(r"([\w’'-]+)\s*$", s))
    assert bool(S._NEGATED_REV.match(s[::-1])) == bool(re.search(
        r"\b(?:not|n[’']t|never|neither|nor|declined to|refused to|without)\s+"
        r"(?:[\w’']+\s+){0,2}$", s, re.IGNORECASE))
    if s.endswith("."):
        assert bool(S._ABBREV_END_REV.match(s[max(0, len(s) - 3):][::-1])) == \
            bool(re.search(r"(?:\b[A-Z]\.)+$|\.\.\.$", s))
    right = re.search(r"(?:[\s,;:—–-]|\b(?:and|but|while|as|adding|saying)\b)*$", s).start()
    assert len(s) - S._RIGHT_TAIL_REV.match(s[::-1]).end() == right
    left = re.search(r"(?:[\s,;:—–-]|\b(?:as|and|but|that is what|this is what|so)\b)*$",
                     s).start()
    assert len(s) - S._LEFT_TAIL_REV.match(s[::-1]).end() == left


def _skip_phrases():
    """Every phrase _SKIP_BEFORE_CUE can match, spelt out ("\0" for its ``\\w+``)."""
    from re import _constants as C
    from re import _parser

    def lang(items):
        outs = {""}
        for op, av in items:
            if op is C.LITERAL:
                alts = {chr(av)}
            elif op is C.SUBPATTERN:
                alts = lang(av[3])
            elif op is C.BRANCH:
                alts = set().union(*(lang(b) for b in av[1]))
            elif op is C.MAX_REPEAT and av[:2] == (0, 1):
                alts = lang(av[2]) | {""}
            elif op is C.MAX_REPEAT and av[0] == 1 and list(av[2]) == [
                    (C.IN, [(C.CATEGORY, C.CATEGORY_WORD)])]:
                alts = {"\0"}
            elif op is C.AT:
                continue
            else:
                raise AssertionError(f"unexpected piece {op} in _SKIP_BEFORE_CUE")
            outs = {o + a for o in outs for a in alts}
        return outs

    def branches(items):
        for op, av in items:
            if op is C.BRANCH:
                yield av[1]
            subs = [av[3]] if op is C.SUBPATTERN else av[1] if op is C.BRANCH else \
                [av[2]] if op in (C.MAX_REPEAT, C.MIN_REPEAT) else []
            for sub in subs:
                yield from branches(sub)

    tree = _parser.parse(S._SKIP_BEFORE_CUE.pattern, S._SKIP_BEFORE_CUE.flags)
    phrases = max(branches(tree), key=len)        # the alternation of phrases
    return set().union(*(lang(b) for b in phrases))


def test_skip_words_cover_every_phrase_word():
    phrases = _skip_phrases()
    assert "has been" in phrases and "on monday night" in {p.lower() for p in phrases}
    for phrase in phrases:
        words = phrase.lower().split(" ")
        for i, w in enumerate(words):
            if w == "\0":
                assert i > 0 and words[i - 1] in S._SKIP_ANY_AFTER, phrase
            else:
                assert w in S._SKIP_WORDS, (w, phrase)


@settings(max_examples=200, deadline=None)
@given(s=hs.lists(hs.sampled_from(sorted(S._SKIP_WORDS) + [
    " ", "  ", "\n", ",", "Ushakov", "Telegram", "X", "İ", "ſ", "5", "_", "ON", "Has"]),
    max_size=14).map(" ".join))
def test_skip_before_cue_on_phrase_words(s):
    assert S._skip_before_cue(s) == S._SKIP_BEFORE_CUE.search(s).start()


@settings(max_examples=300, deadline=None)
@given(s=_fast_texts)
def test_appositive_names_are_the_finditer_matches(s):
    def spans(ms):
        return [(m.span(), m.groupdict()) for m in ms]
    assert spans(S._appositive_names(s)) == spans(S._APPOSITIVE_NAME.finditer(s))


@pytest.mark.parametrize("text", [
    "Sir Richard Dearlove, the ex-head of MI6, said so", "spokesman Heorhii Tykhyi said",
    "  the former spy chief Richard Moore, a diplomat, and Dr. Jane Doe; Mrs Anna Lee",
    "Name Surname", "a b c d e f Name Surname", "x-ray spokesman Ab Cd", "",
])
def test_appositive_names_tricky(text):
    def spans(ms):
        return [(m.span(), m.groupdict()) for m in ms]
    assert spans(S._appositive_names(text)) == spans(S._APPOSITIVE_NAME.finditer(text))


def _same_values(a, b):
    if type(a) is not type(b):
        return False
    return a is b or a == b or (isinstance(a, float) and np.isnan(a) and np.isnan(b))


def test_records_and_rows_are_what_pandas_gives():
    df = pd.DataFrame({
        "s_na": pd.array(["a", None, "c"], dtype="string"),
        "s_py": pd.array(["a", None, "c"], dtype=pd.StringDtype("python")),
        "s_nan": pd.Series(["a", None, "c"], dtype="str"),
        "i": [1, 2, 3], "f": [1.5, np.nan, 2.0], "b": [True, False, True],
        "u8": np.array([1, 2, 3], dtype="uint8"), "f32": np.array([1.5, np.nan, 2], "float32"),
        "I": pd.array([1, None, 3], dtype="Int64"), "B": pd.array([True, None, False], "boolean"),
        "cat": pd.Categorical(["x", None, "y"]), "obj": [np.int64(3), None, "z"],
        "dt": pd.to_datetime(["2020-01-01", None, "2021-01-01"]),
        "obj_mixed": pd.Series([True, np.bool_(False), "s"], dtype=object),
        "obj_num": pd.Series([np.float64(1.5), np.int32(2), None], dtype=object),
    })
    want, got = df.to_dict("records"), S._records(df)
    assert [list(r) for r in got] == [list(r) for r in want]
    assert all(_same_values(g[k], w[k]) for g, w in zip(got, want) for k in w)
    assert all(type(g[k]) is type(w[k]) for g, w in zip(got, want) for k in w)
    cols = list(df.columns)
    for g, w in zip(S._rows(df, cols), df.itertuples(index=False, name=None)):
        assert len(g) == len(w) and all(_same_values(x, y) for x, y in zip(g, w))


@pytest.mark.parametrize("batch", [1, 3])
def test_mention_records_in_batches_give_the_same_statements(monkeypatch, batch):
    """Mentions are converted to records a batch of articles at a time (bounded memory)."""
    import analystkit as ak
    from analystkit import statements as S

    corpus = ak.load_corpus(Path(__file__).resolve().parent / "fixtures" / "heldout")
    args = dict(mentions=corpus.mentions, paragraphs=corpus.paragraphs)
    whole = S.extract_statements(corpus.sentences, **args)
    monkeypatch.setattr(S, "_MENTION_BATCH", batch)
    assert len(whole) > 300
    pd.testing.assert_frame_equal(S.extract_statements(corpus.sentences, **args), whole)


# ------------------------------------------------------------------------------------------
# second speed round: each shortcut against the plain code it replaced
# ------------------------------------------------------------------------------------------

_ROLE_TEXTS = ["", "aide", "kremlin aide", "aide-de-camp", "aides", "the aide's", "u.s. envoy",
               "special envoy to", "envoy", "spokesman", "a spokesman, said", "sen.", "sen. x",
               "mr. smith", "c++ lead", "(aide)", "aide\n", "naïve aide", "aideé", "über-aide"]
_ROLE_WORDS = ["aide", "envoy", "spokesman", "sen.", "u.s.", "mr.", "c++", "(aide)", "", "e",
               "aide-de-camp", "über"]


@pytest.mark.parametrize("word", _ROLE_WORDS)
def test_whole_word_regex_prefilter_is_the_plain_search(word):
    for d in _ROLE_TEXTS:
        plain = re.search(r"\b" + re.escape(word) + r"\b", d) is not None
        fast = word in d and S._whole_word_regex(word).search(d) is not None
        assert fast == plain, (word, d)


@given(hs.text(alphabet="ab 1.,'’-\n\t\u00a0é", max_size=40), hs.integers(-1, 6))
@settings(max_examples=300, deadline=None)
def test_has_words_is_the_word_count(s, n):
    assert S._has_words(s, n) == (S._word_count(s) >= n)


class _Ctx:
    def __init__(self, mentions):
        self.mentions = mentions
        self.mention_starts = None


_SPANS = hs.lists(hs.tuples(hs.integers(0, 40), hs.integers(-3, 12)), max_size=12)


@given(_SPANS, hs.integers(-2, 45), hs.integers(0, 20))
@settings(max_examples=300, deadline=None)
def test_mentions_within_is_the_plain_filter(spans, lo, width):
    ms = [{"start": s0, "end": s0 + d} for s0, d in sorted(spans, key=lambda t: t[0])]
    ctx = S._ArticleContext("a", ms, {}, {})
    hi = lo + width
    plain = [m for m in ms if m["start"] >= lo and m["end"] <= hi]
    assert S._mentions_within(ctx, lo, hi) == plain
    assert S._mentions_within(_Ctx(ms), lo, hi) == plain     # no bisection possible


@given(_SPANS, hs.integers(0, 45), hs.integers(1, 10))
@settings(max_examples=300, deadline=None)
def test_covered_span_test_is_the_plain_any(spans, a, width):
    """_collect_persons skips an appositive name that overlaps a mention; it finds the
    overlap with a bisection over the starts and the running largest end."""
    from bisect import bisect_left
    covered = sorted((s0, s0 + max(d, 1)) for s0, d in spans)
    b = a + width
    cov_starts = [s0 for s0, _e0 in covered]
    cov_max_end = []
    for _s0, e0 in covered:
        cov_max_end.append(max(e0, cov_max_end[-1]) if cov_max_end else e0)
    k = bisect_left(cov_starts, b)
    assert bool(k and cov_max_end[k - 1] > a) == any(s0 < b and a < e0 for s0, e0 in covered)


def test_only_persons_are_read_from_the_collected_persons():
    """ctx.persons holds the persons only: every reader filters on kind == "person"."""
    import inspect
    src = inspect.getsource(S)
    # code lines (not comments or docstring ``quotes``) that name ctx.persons
    uses = re.findall(r"^[^#`\n]*\bctx\.persons\b", src, re.MULTILINE)
    assert len(uses) == 3       # the assignment, _resolve_role and _resolve_pronoun
    assert 'if p.kind != "person":' in inspect.getsource(S._resolve_role)
    assert 'p.kind == "person"' in inspect.getsource(S._resolve_pronoun)


@pytest.mark.parametrize("text", [
    "Meanwhile, a senior Kremlin aide said the talks were useful.",
    "The U. S. envoy said that talks would resume.",
    "Analysts in the region said the talks were useful.",
    "Sources close to the delegation told reporters the deal was near.",
    "The latter said he was ready, and the former said no.",
    "Yuri Ushakov, a Kremlin aide, said the talks were useful.",
    "Mr. Smith's deputy spokesman said it was over.",
    "ex-spy chief Sir Richard Dearlove said that Russia’s aims were clear.",
])
def test_scan_subject_reads_match_objects_like_token_tuples(text):
    """_scan_subject keeps the tokens as match objects; offsets and words are those of the
    (start, end, word) tuples it used to build."""
    cs = text.index(" said") if " said" in text else text.index(" told")
    for lo in range(0, cs, 3):
        a, b = S._scan_subject(text, lo, cs)
        assert lo <= a <= b <= cs or a == b == cs


_WORD_BEFORE = re.compile(  # _WORD as it was: each alternative "lookbehind, then \."
    r"\w+(?:[’'.&-]\w+)*(?:(?<=\.\w)\.|(?<=\b[A-Z])\.|(?<=\bMr|\bMs|\bDr)\.|"
    r"(?<=\bMrs|\bGen|\bSen|\bRep|\bCol|\bGov|\bSgt)\.|(?<=\bLt)\.)?|[^\w\s]")


@given(hs.text(alphabet="aAMrsGenLtSgtUS.’'&- \n,é1", max_size=40))
@settings(max_examples=400, deadline=None)
def test_word_tokens_are_those_of_the_lookbehind_first_pattern(s):
    def spans(rx):
        return [(m.span(), m.group()) for m in rx.finditer(s)]
    assert spans(S._WORD) == spans(_WORD_BEFORE)


@pytest.mark.parametrize("s", ["U.S. Mr. Mrs. Dr. Lt. Gen. a.b. A. x.y.z. St. e.g.",
                               "Sgt.Pepper Mr.. .Mr. b.c.d. Q. Col.Gov. Rep.", "x.Mr. Lt.."])
def test_word_tokens_tricky(s):
    assert [m.span() for m in S._WORD.finditer(s)] == [m.span() for m in _WORD_BEFORE.finditer(s)]
