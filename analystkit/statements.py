"""Official statements: direct quotes and reported speech, with their speakers.

    statements = extract_statements(sentences, mentions=mentions, paragraphs=paragraphs)

One row per reporting clause (a direct quote or a piece of reported speech), columns::

    article_id, statement_id, sentence_id, start, end, kind (direct/indirect), cue,
    cue_start, cue_end, text, speaker, speaker_start, speaker_end,
    speaker_kind (person/org/country/anonymous/unknown), affiliation, is_official,
    attribution (explicit/pronoun/title/unattributed)

``start``/``end`` are offsets into ``articles.text`` of the reported content (``text``, quote
marks excluded); ``cue_*`` and ``speaker_*`` locate the reporting verb and the speaker phrase.

How it works (per paragraph, so nothing ever pairs across paragraphs):

1. quote marks are paired with a small state machine that knows curly, straight, single,
   guillemet and low-9 marks, tells apostrophes (Russia's, '90s) from single quotes, accepts a
   curly quote closed by a straight one, and recovers an unclosed quote at the next opening mark
   or at the paragraph end;
2. reporting cues (``data/reporting_verbs.txt``, one compiled regex) are found outside quotes;
   for each cue the speaker phrase is read leftwards ("Kremlin aide Yuri Ushakov said") or
   rightwards ("said Ushakov", "according to X") and the content is taken from the side that
   holds it ("X said (that) ...", "..., X said.", "“A,” he said, “B.”");
3. quotes no cue claimed become direct statements of the person who opens the sentence, of a
   person just made the subject of a sentence, or of the previous statement's speaker (a
   quote continuing an attribution); quotes of one or two words, and short partial quotes
   inside a reporter's sentence, are not statements;
4. speakers are resolved with the actor mentions: names, titles ("the Kremlin aide" -> the
   person the article introduced as an aide), pronouns (the most salient preceding person),
   institutions; anonymous sources are kept as ``attribution="unattributed"``.
"""
from __future__ import annotations

import re
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype

try:  # what DataFrame.to_dict applies to object/extension values (see _records)
    from pandas.core.dtypes.cast import maybe_box_native as _box_native
except ImportError:  # pragma: no cover - another pandas: _records falls back to to_dict
    _box_native = None

from ._data import read_data_text

__all__ = ["StatementsError", "extract_statements", "load_reporting_verbs"]

STATEMENT_COLUMNS = [
    "article_id", "statement_id", "sentence_id", "start", "end", "kind", "cue", "cue_start",
    "cue_end", "text", "speaker", "speaker_start", "speaker_end", "speaker_kind", "affiliation",
    "is_official", "attribution",
]


class StatementsError(ValueError):
    """Bad input to the statements module (names the file/frame and the problem)."""


# patterns used in many places (compiled once: the module-level re functions look them up
# in re's cache on every call)
_POSSESSIVE_S = re.compile(r"[’']s$")
_W_RUN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_PHRASE_WORD = re.compile(r"[\w’'.-]+")
_BLANK_PUNCT = re.compile(r"[\s:,—–]*")


# --------------------------------------------------------------------------------------------
# reporting verbs
# --------------------------------------------------------------------------------------------

_FLAGS = {"", "that", "prep", "quote"}


def load_reporting_verbs(path=None) -> pd.DataFrame:
    """Load the reporting-cue codebook.

    One row per matchable form: ``cue, form, flag, line``. ``path=None`` reads the packaged
    ``analystkit/data/reporting_verbs.txt``; a path reads that file; an already-loaded frame
    is returned as a copy. A malformed line raises :class:`StatementsError` naming the file,
    the entry and the line number.
    """
    if isinstance(path, pd.DataFrame):
        missing = {"cue", "form", "flag"} - set(path.columns)
        if missing:
            raise StatementsError(f"reporting verbs frame lacks columns {sorted(missing)}")
        return path.copy()
    try:
        text, name = read_data_text(path, "reporting_verbs.txt")
    except OSError as exc:
        raise StatementsError(f"{path}: cannot read reporting verbs file ({exc})") from exc
    rows = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise StatementsError(
                f"{name}, line {lineno}: entry {line!r} is not 'cue | form, form, ... [| flag]'")
        flag = parts[2].lower() if len(parts) == 3 else ""
        if flag not in _FLAGS:
            raise StatementsError(
                f"{name}, line {lineno}: entry {parts[0]!r} has unknown flag {flag!r} "
                f"(expected one of: that, prep, quote)")
        forms = [f.strip() for f in parts[1].split(",") if f.strip()]
        for form in forms:
            if not re.fullmatch(r"[A-Za-z’' -]+(?:\s*\.\.\.\s*[A-Za-z’' -]+)?", form):
                raise StatementsError(
                    f"{name}, line {lineno}: entry {parts[0]!r} has a malformed form {form!r}")
            rows.append({"cue": parts[0], "form": " ".join(form.split()).lower(),
                         "flag": flag, "line": lineno})
    if not rows:
        raise StatementsError(f"{name}: no reporting verbs found")
    return pd.DataFrame(rows, columns=["cue", "form", "flag", "line"])


@dataclass
class _CueMatcher:
    regex: re.Pattern
    entries: list  # index -> (cue, form, flag, is_ing, has_gap)
    first_words: frozenset = frozenset()
    # first word -> the alternatives of ``regex`` that can match at a word equal to it once
    # lower-cased (same group names, same order), compiled on first use; see _compile_verbs
    by_first: dict = field(default_factory=dict)
    # finds (in lower-cased text) every word that may be a first word; None: scan all words
    scan: re.Pattern | None = None

    def finditer(self, text):
        """Like ``regex.finditer`` but only tries positions whose word starts a cue form
        (one set lookup per candidate word instead of the whole alternation at every
        character)."""
        pos = 0
        for start, word in self._candidates(text):
            if start < pos:
                continue
            m = self._regex_for(word).match(text, start)
            if m:
                pos = m.end()
                yield m

    def _regex_for(self, word):
        sub = self.by_first.get(word)
        if sub is None:
            return self.regex
        if isinstance(sub, str):
            sub = self.by_first[word] = re.compile(sub, re.IGNORECASE)
        return sub

    def _candidates(self, text):
        """(start, lower-cased word) of each maximal letter run whose lower-cased form is a
        first word, in text order."""
        low = " " + text.lower() if self.scan is not None else None
        if low is None or len(low) != len(text) + 1:
            for w in _ALPHA.finditer(text):
                word = w.group(0).lower()
                if word in self.first_words:
                    yield w.start(), word
            return
        # Every char lower-cased to one char, so offsets agree (shifted by the blank put in
        # front). A run whose lower-cased form is an ASCII first word sits at the same offsets
        # in ``low`` with no [a-z] char on either side (only letters lower-case to [a-z]), so
        # ``scan`` (a non-[a-z] char, then a first word) matches at the char before it; no
        # earlier scan match can cover that char (their other chars are [a-z]). Each hit is
        # then checked on the original text exactly as the plain word loop would.
        for c in self.scan.finditer(low):
            w = _ALPHA_START.match(text, c.start())
            if w is not None:
                word = w.group(0).lower()
                if word in self.first_words:
                    yield w.start(), word


_ALPHA = re.compile(r"[^\W\d_]+", re.UNICODE)
_ALPHA_START = re.compile(r"(?<![^\W\d_])[^\W\d_]+")
_ASCII_WORD = re.compile(r"[a-z]+")


_MATCHER_CACHE: dict = {}


def _trie_regex(words) -> str:
    """A regex alternation of ``words`` (non-empty strings) factored as a trie."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node):
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body
    return build(trie)


def _compile_verbs(verbs: pd.DataFrame) -> _CueMatcher:
    key = tuple(map(tuple, verbs[["cue", "form", "flag"]].itertuples(index=False)))
    if key in _MATCHER_CACHE:
        return _MATCHER_CACHE[key]
    order = sorted(range(len(key)), key=lambda i: -len(key[i][1]))
    alts, entries, alt_firsts = [], [], []
    for j, i in enumerate(order):
        cue, form, flag = key[i]
        if "..." in form:
            head, tail = (s.strip() for s in form.split("..."))
            body = (r"\b" + r"\s+".join(map(re.escape, head.split())) + r"\b"
                    + r"(?:\s+[\w’'\-\"“”‘]+,?){1,8}?\s+"
                    + r"\s+".join(map(re.escape, tail.split())) + r"\b")
        else:
            body = r"\b" + r"\s+".join(map(re.escape, form.split())) + r"\b"
        alts.append(f"(?P<g{j}>{body})")
        alt_firsts.append(form.split()[0].lower())
        entries.append((cue, form, flag, flag != "prep" and (form.split()[0].endswith("ing")
                                                              or " saying" in form),
                        "..." in form))
    firsts = frozenset(key[i][1].split()[0].lower() for i in range(len(key)))
    # At a maximal letter run w whose lower-cased form f is ASCII letters, an alternative
    # whose first word is other ASCII letters cannot match: it is followed by \s or \b, so
    # it would have to cover exactly w, and the chars that match an ASCII letter
    # case-insensitively are those that lower-case to it. The sub-pattern of f keeps only
    # the alternatives that can match there (first word f, or not plain ASCII letters), in
    # the same order and with the same group names, so it returns the same match.
    by_first = {}
    for f in firsts:
        if _ASCII_WORD.fullmatch(f):
            keep = [a for a, af in zip(alts, alt_firsts)
                    if af == f or not _ASCII_WORD.fullmatch(af)]
            by_first[f] = "|".join(keep)
    ascii_firsts = [f for f in firsts if _ASCII_WORD.fullmatch(f)]
    # the lower-cased scan can find every candidate only if no first word could come from a
    # run lower-cased to non-ASCII letters; a first word holding a char no letter lower-cases
    # to (an apostrophe, a hyphen, dots) never equals a lower-cased run at all
    scan = None
    if all(_ASCII_WORD.fullmatch(f) or re.search(r"[’'.\-]", f) for f in firsts):
        scan = re.compile("[^a-z](?:" + _trie_regex(ascii_firsts) + r")(?![a-z])"
                          if ascii_firsts else r"(?!)")
    matcher = _CueMatcher(re.compile("|".join(alts), re.IGNORECASE), entries, firsts,
                          by_first, scan)
    _MATCHER_CACHE[key] = matcher
    return matcher


# --------------------------------------------------------------------------------------------
# quote marks
# --------------------------------------------------------------------------------------------

_DQ = set('“”„‟«»"″')
_SQ = set("‘’‚‛‹›'")
_OPEN_ONLY = set("“„‟«‘‚‛‹")     # marks that are never a closer unless they close their partner
_CLOSE_ONLY = set("”»’›")
_QUOTE_MARK = re.compile("[" + re.escape("".join(sorted(_DQ | _SQ))) + "]")
_SPACE_BEFORE_OPEN = set(" \t\n([{—–-/:;,") | {"\u00a0"}
_AFTER_CLOSE = set(" \t\n.,;:!?)]}—–-/…") | {"\u00a0"}


@dataclass
class _Quote:
    open: int          # offset of the opening mark (paragraph coordinates)
    close: int | None  # offset of the closing mark, None when never closed
    end: int           # end of the inner text (exclusive)
    family: str
    claimed: bool = False

    @property
    def inner_start(self):
        return self.open + 1

    @property
    def outer_end(self):
        return self.close + 1 if self.close is not None else self.end


def _is_apostrophe(text: str, i: int) -> bool:
    c = text[i]
    if c not in "’'‛":
        return False
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isalnum() and nxt.isalnum():          # Russia’s, don't
        return True
    if nxt.isdigit() and not prev.isalnum():      # ’90s
        return re.match(r"\d\ds?\b", text[i + 1:i + 4]) is not None
    return False


def find_quotes(text: str) -> list:
    """Pair the quote marks of one paragraph; one :class:`_Quote` per quotation.

    Never raises and never pairs beyond ``text``: an unclosed quote ends at the next
    unambiguous opening mark of its family or at the end of the paragraph.
    """
    quotes: list[_Quote] = []
    cur: _Quote | None = None
    n = len(text)
    for mq in _QUOTE_MARK.finditer(text):     # only the marks change the state
        i, c = mq.start(), mq.group()
        if _is_apostrophe(text, i):
            continue
        fam = "d" if c in _DQ else "s"
        prev = text[i - 1] if i > 0 else " "
        nxt = text[i + 1] if i + 1 < n else " "
        can_open = (prev in _SPACE_BEFORE_OPEN or prev in _DQ or prev in _SQ) and not nxt.isspace() \
            and c not in _CLOSE_ONLY
        can_close = (not prev.isspace() or prev in ".,!?") and (nxt in _AFTER_CLOSE or nxt in _DQ
                                                                  or nxt in _SQ) \
            and c not in "„‚«‹"
        if c == "“" and cur is not None and cur.family == "d" and text[cur.open] == "„":
            can_close, can_open = True, False       # German „ … “
        if c == "‘" and cur is not None and cur.family == "s" and text[cur.open] == "‚":
            can_close, can_open = True, False
        if c in "’'" and prev in "sS" and nxt.isspace() and (cur is None or cur.family != "s"):
            continue                                  # plural possessive: allies’ position
        if cur is None:
            if can_open or (c in _OPEN_ONLY and not nxt.isspace()):
                cur = _Quote(open=i, close=None, end=n, family=fam)
            continue
        if fam != cur.family:
            # nested quote of the other family: ignore (single inside double), except that a
            # double opening mark while a single quote is open means the single one was a stray
            if cur.family == "s" and fam == "d" and c in "“„«" and can_open:
                cur.end = i
                quotes.append(cur)
                cur = _Quote(open=i, close=None, end=n, family=fam)
            continue
        if can_close and (c not in _OPEN_ONLY or not can_open or c in "“‘" and not nxt.isalnum()):
            cur.close, cur.end = i, i
            quotes.append(cur)
            cur = None
        elif c in _OPEN_ONLY and can_open:
            # a fresh opening mark: the current quote was never closed
            cur.end = i
            quotes.append(cur)
            cur = _Quote(open=i, close=None, end=n, family=fam)
        elif c in ('"', "'") and can_open and not can_close:
            # a straight mark that can only open while one is open: treat it as a closer only
            # if it is preceded by punctuation, else as an unclosed-quote restart
            cur.end = i
            quotes.append(cur)
            cur = _Quote(open=i, close=None, end=n, family=fam)
        elif c in _CLOSE_ONLY or c in ('"', "'"):
            cur.close, cur.end = i, i
            quotes.append(cur)
            cur = None
    if cur is not None:
        cur.end = n
        quotes.append(cur)
    for q in quotes:          # trim an unclosed quote's trailing blanks
        if q.close is None:
            while q.end > q.inner_start and text[q.end - 1].isspace():
                q.end -= 1
    return [q for q in quotes if q.end > q.inner_start]


# --------------------------------------------------------------------------------------------
# vocabulary for speaker phrases
# --------------------------------------------------------------------------------------------

_ROLE_NOUNS = {
    "aide", "aides", "adviser", "advisers", "advisor", "advisors", "assistant", "spokesman",
    "spokeswoman", "spokesperson", "spokespeople", "spokesmen", "minister", "ministers",
    "president", "diplomat", "diplomats", "envoy", "envoys", "leader", "leaders", "chancellor",
    "secretary", "negotiator", "negotiators", "chief", "official", "officials", "ambassador",
    "premier", "general", "commander", "head", "director", "representative", "representatives",
    "senator", "lawmaker", "lawmakers", "mayor", "governor", "deputy", "counterpart",
    "chairman", "chairwoman", "chair", "speaker", "source", "sources", "analyst", "analysts",
    "observer", "observers", "expert", "experts", "critic", "critics", "people", "officer",
    "officers", "strategist", "member", "members", "insider", "insiders", "correspondent",
    "journalists", "reporters", "residents", "politicians", "politician", "delegation",
    "delegate", "delegates", "mediator", "mediators", "host", "administration",
    "government", "governments", "ministry", "office", "embassy", "kremlin", "council",
    "committee", "commission", "agency", "department", "pentagon", "army", "military",
    "command", "staff", "service", "services", "side", "team", "cabinet", "parliament",
    "presidency", "allies", "partners", "capitals", "statement", "readout", "prosecutor",
    "prosecutors", "investigators", "intelligence", "press", "monarch", "king", "queen",
    "pope", "emissary", "architect", "businessman", "billionaire", "magnate", "founder",
    "ceo", "economist", "economists", "scholar", "professor", "researcher", "historian",
    "soldiers", "troops", "witnesses", "commentators", "voters", "citizens", "civilians",
    "activists", "survivors", "families", "relatives", "workers", "academics", "scholars",
    "researchers", "historians", "commanders", "generals", "participants", "media",
    "them", "others", "participant", "person", "persons", "spymaster", "spy", "attendees",
    "sides", "delegations", "teams",
    "organisers", "organizers",
    "campaigners", "volunteers", "doctors", "medics", "rescuers", "teachers", "farmers",
    "protesters", "demonstrators", "traders", "investors", "bankers", "executives", "locals",
    "neighbours", "neighbors", "parents", "students", "refugees", "villagers", "pensioners",
    "force", "forces", "navy", "guard", "police", "operator", "company", "institute", "tank",
    "bank", "fund", "court", "authorities", "authority", "regulator", "group", "union", "bloc",
    "alliance", "coalition", "mission", "headquarters", "commissioner", "air",
}
_MODIFIERS = {
    "the", "a", "an", "senior", "top", "foreign", "policy", "defence", "defense", "special",
    "chief", "deputy", "former", "prime", "state", "national", "security", "presidential",
    "press", "military", "european", "western", "russian", "ukrainian", "american", "u.s.",
    "us", "british", "french", "german", "chinese", "high-ranking", "high-level", "some",
    "several", "other", "two", "three", "many", "unnamed", "anonymous", "one", "his", "her",
    "their", "its", "of", "for", "affairs", "economic", "investment", "sovereign", "wealth",
    "fund", "kremlin", "white", "house", "administration", "government", "foreign-policy",
    "local", "regional", "international", "independent", "political", "trade", "finance",
    "economy", "interior", "justice", "vice", "acting", "outgoing", "incoming", "new", "newly",
    "elected", "longtime", "veteran", "leading", "key", "close", "administration's",
    "government's", "country's", "nation's", "union", "eu", "nato", "un", "general",
    "secretary-general", "intelligence", "diplomatic", "public", "both", "all",
    "most", "few", "unidentified", "informed", "familiar", "with", "matter", "talks",
    "negotiations", "situation", "plan", "person", "persons", "ukraine's", "russia's",
    "america's", "europe's", "moscow's", "kyiv's", "washington's", "peace", "negotiating",
    "military-political", "spy", "ground", "armed", "forces", "nuclear", "energy",
    "citing", "four", "five", "multiple", "various", "that", "this", "these", "those",
}
_ANON_HEADS = {
    "officials", "sources", "source", "analysts", "analyst", "observers", "observer", "experts",
    "expert", "diplomats", "aides", "critics", "people", "lawmakers", "insiders", "insider",
    "representatives", "members", "leaders", "politicians", "officers", "residents",
    "economists", "negotiators", "delegates", "prosecutors", "investigators", "reporters",
    "journalists", "allies", "partners", "capitals", "governments", "envoys", "advisers",
    "advisors", "ministers", "person", "persons", "spokespeople", "soldiers", "troops",
    "witnesses", "commentators", "voters", "citizens", "civilians", "activists", "survivors",
    "families", "relatives", "workers", "academics", "scholars", "researchers", "historians",
    "them", "others", "some", "many", "several", "few", "all", "both", "everyone", "someone",
    "commanders", "generals", "participants", "attendees",
    "western", "media", "reports", "polls", "surveys", "studies", "organisers", "organizers",
    "campaigners", "volunteers", "doctors", "medics", "rescuers", "teachers", "farmers",
    "protesters", "demonstrators", "traders", "investors", "bankers", "executives", "locals",
    "neighbours", "neighbors", "parents", "students", "refugees", "villagers", "pensioners",
}
_OFFICIAL_HEADS = {
    "official", "officials", "diplomat", "diplomats", "aide", "aides", "minister", "ministers",
    "spokesman", "spokeswoman", "spokesperson", "spokespeople", "envoy", "envoys", "ambassador",
    "president", "adviser", "advisers", "advisor", "assistant", "secretary", "negotiator",
    "negotiators", "chancellor", "premier", "governor", "mayor", "senator", "lawmaker",
    "lawmakers", "commander", "general", "representative", "representatives", "leader",
    "leaders", "delegation", "deputy", "chairman", "chair",
}
_INSTITUTION_HEADS = {
    "administration", "government", "governments", "ministry", "office", "embassy", "kremlin",
    "council", "committee", "commission", "agency", "department", "pentagon", "army",
    "military", "command", "staff", "service", "services", "side", "team", "cabinet",
    "parliament", "presidency", "delegation", "statement", "readout", "intelligence", "press",
    "force", "forces", "navy", "guard", "police", "operator", "company", "institute", "tank",
    "bank", "fund", "court", "prosecutor's", "authorities", "authority", "regulator", "group",
    "union", "bloc", "alliance", "coalition", "mission", "headquarters", "commissioner",
    "sides", "delegations", "teams",
}
_ROLE_SYNONYMS = {
    "aide": {"aide", "assistant", "adviser", "advisor"},
    "assistant": {"aide", "assistant", "adviser", "advisor"},
    "adviser": {"aide", "assistant", "adviser", "advisor"},
    "advisor": {"aide", "assistant", "adviser", "advisor"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "press secretary"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "press secretary"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson", "press secretary"},
    "diplomat": {"diplomat", "secretary of state", "foreign minister", "foreign secretary",
                 "ambassador"},
    "envoy": {"envoy", "emissary", "negotiator", "representative"},
    "negotiator": {"envoy", "negotiator", "representative"},
    "emissary": {"envoy", "emissary"},
    "leader": {"leader", "president", "prime minister", "chancellor", "premier"},
    "president": {"president", "leader"},
    "chancellor": {"chancellor"},
    "minister": {"minister"},
    "secretary": {"secretary"},
    "premier": {"premier", "prime minister"},
    "ambassador": {"ambassador"},
    "head": {"head", "chief", "director"},
    "chief": {"head", "chief", "director"},
    "official": {"official", "aide", "minister", "spokesman", "spokesperson", "adviser"},
    "commander": {"commander", "general", "chief"},
    "general": {"general", "commander"},
    "mediator": {"mediator", "envoy"},
    "businessman": {"businessman", "magnate", "billionaire", "developer", "envoy"},
    "billionaire": {"billionaire", "businessman", "magnate"},
    "economist": {"economist"},
}
_NATIONALITY = {
    "russian": "Russia", "kremlin": "Russia", "moscow": "Russia", "ukrainian": "Ukraine",
    "kyiv": "Ukraine", "american": "United States", "u.s.": "United States", "us": "United States",
    "washington": "United States", "white": "United States", "british": "United Kingdom",
    "french": "France", "german": "Germany", "chinese": "China", "european": "European Union",
    "eu": "European Union", "turkish": "Turkey", "polish": "Poland", "hungarian": "Hungary",
}
_BOUNDARY_WORDS = {
    "that", "and", "but", "while", "as", "because", "though", "although", "if", "when",
    "after", "before", "since", "where", "which", "who", "whom", "so", "whereas", "than", "or",
    "then", "what", "how", "why", "whether", "nor", "yet", "unless", "until", "once", "also",
    "however", "meanwhile", "is", "was", "were", "are", "be", "been", "has", "have", "had",
    "not", "to", "in", "on", "at", "by", "from", "into", "about", "over", "under", "there",
}
_SKIP_BEFORE_CUE = re.compile(
    r"(?:\s+|\b(?:is|was|were|are|has been|had been|have been|also|later|further|then|again|repeatedly|previously|earlier|reportedly|"
    r"separately|similarly|subsequently|publicly|privately|recently|once|now|too|already|"
    r"yesterday|today|tonight|has|have|had|would|will|did|does|do|could|may|might|must|"
    r"shall|should|can|even|just|only|still|in turn|clearly|explicitly|openly|bluntly|"
    r"firmly|flatly|quickly|immediately|simply|has also|wanted to|wants to|want to|"
    r"went on to|was quick to|were quick to|sought to|seeks to|moved to|continued to|"
    r"continues to|took pains to|hastened to|took to \w+ to|used to|appeared to|"
    r"on (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?: (?:night|evening|morning|afternoon))?|"
    r"last (?:week|month|year|night)|(?:earlier|later) (?:this|that|on) \w+|"
    r"in a statement|in an interview|at a (?:news|press) (?:conference|briefing))\b)*$",
    re.IGNORECASE)
# Every word the phrases of _SKIP_BEFORE_CUE can match (lower case; a test checks the list
# against the pattern), and the words after which a phrase takes any word (``\w+``).
_SKIP_WORDS = frozenset("""
    is was were are has been had have also later further then again repeatedly previously
    earlier reportedly separately similarly subsequently publicly privately recently once now
    too already yesterday today tonight would will did does do could may might must shall
    should can even just only still in turn clearly explicitly openly bluntly firmly flatly
    quickly immediately simply wanted to wants want went on quick sought seeks moved
    continued continues took pains hastened used appeared monday tuesday wednesday thursday
    friday saturday sunday night evening morning afternoon last week month year this that
    a an statement interview at news press conference briefing""".split())
_SKIP_ANY_AFTER = frozenset({"to", "this", "that", "on"})
_TOKEN = re.compile(r"(?P<word>\w+)|[^\w\s]")


def _skip_before_cue(left: str) -> int:
    """``_SKIP_BEFORE_CUE.search(left).start()``, searching only the tail that can match.

    A match is blanks and whole phrase words, so it cannot start before a char that is
    neither (a blocker), nor before an ASCII word that no phrase word matches (its
    lower-cased form is not in _SKIP_WORDS: case-insensitive matching of ASCII text is
    lower-casing) unless it follows a word after which a phrase takes any word. Non-ASCII
    words never block. Searching from after the last blocker gives the same leftmost match."""
    q = 0
    toks = _TOKEN.finditer(left[::-1])          # the tokens, last first (each reversed)
    tok = next(toks, None)
    while tok is not None:
        prev = next(toks, None)
        if tok.group("word") is None:
            q = len(left) - tok.start()
            break
        w = tok.group(0)[::-1]
        if w.isascii() and w.lower() not in _SKIP_WORDS:
            pw = prev.group("word") if prev is not None else None
            pw = pw[::-1] if pw is not None else None
            if pw is None or (pw.isascii() and pw.lower() not in _SKIP_ANY_AFTER):
                q = len(left) - tok.start()
                break
        tok = prev
    return _SKIP_BEFORE_CUE.search(left, q).start()


_ADJUNCT_AFTER_CUE = re.compile(
    r"(?:\s+|,(?=\s*(?:on|in|at|during|after|late|early|last|this|earlier|later)\b)|"
    r"\b(?:on (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?: (?:night|evening|morning|"
    r"afternoon))?|(?:late|early|earlier|later) (?:on )?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|"
    r"Sun)day|(?:last|this) (?:week|month|year|night|morning|evening)|yesterday|today|"
    r"tonight|earlier|later|again|also|previously|repeatedly|publicly|privately|bluntly|"
    r"firmly|flatly|openly|explicitly|in (?:a|an|his|her|their|its) (?:\w+ ){0,2}"
    r"(?:statement|interview|post|message|speech|address|briefing|conference|remarks|"
    r"comments|call|video|broadcast|note|report|letter|op-ed|article|column|tweet|blog|"
    r"newsletter|podcast|memo|filing)(?: (?:on|with|to) (?:the )?[A-Z][\w.’'-]*(?: [A-Z][\w.’'-]*)*)?|"
    r"at (?:a|an|the|his|her) (?:\w+ ){0,3}(?:conference|briefing|forum|summit|meeting|event|"
    r"session)|(?:to|with) (?:reporters|journalists|the press|the media|media)|"
    r"(?:on|in|during) an? (?:\w+ ){0,2}(?:call|conference call|phone call|podcast|broadcast)|"
    r"after the (?:talks|meeting|call|summit)|during (?:a|an|the) (?:\w+ ){0,2}"
    r"(?:conference|briefing|visit|interview|meeting|call|speech)|on (?:Telegram|X|Twitter|"
    r"Facebook|social media|state television|state TV|television|TV|radio)|"
    r"(?:in|from) (?:Moscow|Kyiv|Kiev|Washington|Brussels|London|Paris|Berlin|Geneva|"
    r"Istanbul|Riyadh|Abu Dhabi|Miami|Florida|Davos|Beijing|the Kremlin|the White House))\b)*",
    re.IGNORECASE)
_TELL_OBJECT = re.compile(
    r"\s*(?:reporters|journalists|the press|the media|media|lawmakers|parliament|"
    r"an? (?:[\w-]+ ){0,3}(?:audience|conference|briefing|forum|gathering|interviewer|"
    r"broadcaster|newspaper|outlet|channel)|the (?:[\w-]+ ){0,3}(?:audience|conference|"
    r"briefing|forum|gathering|channel|newspaper|broadcaster|council|committee|parliament|"
    r"assembly|summit|nation|country|public)|(?:the )?[A-Z][\w.’'&-]*(?: (?:[A-Z][\w.’'&-]*|"
    r"of|de|al))*(?:[’']s? (?:[\w-]+ ){0,2}[\w-]+)?|him|her|them|us|me|Trump|Putin|Zelensky\w*)"
    r"\b", re.UNICODE)
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.’' -]{2,}(?:,\s*[A-Z][\w.]*)*\s*(?:\([^)]{1,40}\)\s*)?[—–-]+\s+|"
    r"\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|CET|CEST|EST|EDT|ET|BST|MSK|[ap]\.?m\.?)?\s*[—–:|-]?\s*)")
_INTRO = re.compile(
    r"^\s*(?:(?i:(?:on|in|at|during|after|before|speaking|later|earlier|meanwhile|however|also|"
    r"separately|elsewhere|still|but|and|yet|instead|indeed|again|asked|writing|now|as|while|"
    r"similarly|last|this|for|with|following|addressing|answering|responding|despite|since|"
    r"although|though|when|once|because|if|ahead of|in a|at a)\b[^,]{0,160})|"
    r"[A-Z][a-z]+day|[A-Z]{3,}[A-Z .’'-]{0,30})\s*,\s*$")
# a word, with the dot of an abbreviation ("U.S.", "Mr.", "Lt."), or a punctuation char; the
# (?=\.) spares the lookbehinds at every word not followed by a dot (each alternative was
# "lookbehind, then \.", so the same dots are taken)
_WORD = re.compile(r"\w+(?:[’'.&-]\w+)*(?:(?=\.)(?:(?<=\.\w)|(?<=\b[A-Z])|(?<=\bMr|\bMs|\bDr)|"
                   r"(?<=\bMrs|\bGen|\bSen|\bRep|\bCol|\bGov|\bSgt)|(?<=\bLt))\.)?|[^\w\s]",
                   re.UNICODE)
_POST_PREPS = {"in", "at", "from", "to", "with", "of", "for", "on", "inside", "near", "within",
               "across", "around", "among"}
_PP_HOSTS = {"close", "familiar", "briefed", "involved", "knowledgeable", "soldiers", "troops",
             "residents", "witnesses", "commentators", "voters", "citizens", "civilians",
             "activists", "survivors", "families", "relatives", "workers"}
_BE = {"is", "was", "are", "were", "be", "been", "being", "'s", "’s"}


# --------------------------------------------------------------------------------------------
# mentions / actors helpers
# --------------------------------------------------------------------------------------------

def _empty_mentions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in [
        "article_id", "sentence_id", "start", "end", "surface", "actor", "kind", "affiliation",
        "role", "is_official", "method"]})


def _get_mentions(sentences, mentions, codebook):
    if mentions is not None:
        return mentions
    try:
        from .actors import find_actors  # noqa: WPS433 (lazy: actors is optional at import)
    except ImportError as exc:  # the actors module is not available: resolve names ourselves
        warnings.warn(f"analystkit.actors unavailable ({exc}); speakers are resolved from "
                      "capitalised names only", RuntimeWarning, stacklevel=3)
        return _empty_mentions()
    return find_actors(sentences, codebook=codebook)


def _codebook_frame(codebook):
    if codebook is None:
        try:
            from .actors import load_actors
            return load_actors()
        except Exception:  # noqa: BLE001 -- no codebook means no gender/role hints, not a failure
            return None
    if isinstance(codebook, (str, Path)):
        from .actors import load_actors
        return load_actors(codebook)
    if isinstance(codebook, pd.DataFrame):
        return codebook
    return getattr(codebook, "frame", None)


@dataclass
class _Person:
    actor: str
    kind: str
    affiliation: object
    is_official: object
    start: int
    end: int
    descriptors: set = field(default_factory=set)
    gender: str | None = None


# --------------------------------------------------------------------------------------------
# the extractor
# --------------------------------------------------------------------------------------------

@dataclass
class _Clause:
    cue: str
    cue_start: int
    cue_end: int
    claim_start: int          # leftmost char of the reporting clause (speaker or cue)
    claim_end: int            # rightmost char of the reporting clause
    speaker: dict | None
    side: str = ""            # where the content is: left/right/both
    content: tuple | None = None
    kind: str = "indirect"
    sent_idx: int = 0
    lemma: str = ""


class _ArticleContext:
    """Per-article state: text access, mentions, persons seen so far, last speakers."""

    def __init__(self, article_id, mentions, genders, codebook_roles):
        self.article_id = article_id
        self.mentions = mentions  # list of dicts sorted by start
        # their starts, for bisecting; None unless all are ints in order
        starts = [m["start"] for m in mentions]
        self.mention_starts = starts if all(type(x) is int for x in starts) and all(
            starts[i] <= starts[i + 1] for i in range(len(starts) - 1)) else None
        # every mention ends (an int) at or after its start: see _mentions_within
        self.mention_ends_ok = self.mention_starts is not None and all(
            type(m["end"]) is int and m["end"] >= m["start"] for m in mentions)
        self.genders = genders
        self.codebook_roles = codebook_roles
        self.statements: list[dict] = []


@dataclass
class _Sent:
    article_id: object
    sentence_id: int
    paragraph_id: object
    kind: str
    start: int
    end: int
    text: str


def _clean_name(s: str) -> str:
    s = _POSSESSIVE_S.sub("", s.strip(" ,.;:—–-\"“”‘’"))
    return " ".join(s.split())


def extract_statements(sentences, *, mentions=None, paragraphs=None, codebook=None,
                       verbs=None) -> pd.DataFrame:
    """Find the statements (direct quotes and reported speech) of the sentences' articles.

    One row per reporting clause; columns ``article_id, statement_id, sentence_id, start, end,
    kind, cue, cue_start, cue_end, text, speaker, speaker_start, speaker_end, speaker_kind,
    affiliation, is_official, attribution`` (see the module docstring). Offsets refer to
    ``articles.text``. ``mentions`` (from ``find_actors``) resolve speakers; when it is None the
    actors are found here. ``paragraphs`` supplies the paragraph text (quotes never pair across
    paragraphs); without it the paragraphs are rebuilt from the sentences. ``verbs`` is a path
    or a frame from :func:`load_reporting_verbs` (default: the packaged list).
    """
    if not isinstance(sentences, pd.DataFrame):
        raise StatementsError(f"extract_statements needs a sentences DataFrame, got "
                              f"{type(sentences).__name__}")
    need = {"article_id", "sentence_id", "start", "end", "text"}
    missing = need - set(sentences.columns)
    if missing:
        raise StatementsError(f"sentences frame lacks columns {sorted(missing)}")
    verbs_df = load_reporting_verbs(verbs)
    matcher = _compile_verbs(verbs_df)
    if len(sentences) == 0:
        return _empty_statements()
    mentions = _get_mentions(sentences, mentions, codebook)
    cb = _codebook_frame(codebook) if codebook is not None or mentions is not None else None
    genders, cb_roles = _codebook_hints(cb)

    sents = sentences.copy()
    if "paragraph_id" not in sents.columns:
        sents["paragraph_id"] = sents["sentence_id"]
    if "kind" not in sents.columns:
        sents["kind"] = "body"
    sents = sents.sort_values(["article_id", "start"], kind="stable")
    ordered, ment_index = None, {}
    if mentions is not None and len(mentions):
        ordered = mentions.sort_values(["article_id", "start"], kind="stable")
        # the groupby's own index lists keep its grouping rules (missing article_ids dropped)
        ment_index = ordered.groupby("article_id", sort=False).indices

    def mention_records(aids) -> dict:
        """The mention records of these articles: one conversion per batch of articles (a
        to_dict per article was the slow part; one of the whole frame held every record
        at once, +300 MB at 10,000 articles)."""
        idxs = [ment_index[a] for a in aids if a in ment_index]
        if not idxs:
            return {}
        recs = iter(_records(ordered.iloc[np.concatenate(idxs)]))
        out = {}
        for aid in aids:
            if aid in ment_index:
                batch = [next(recs) for _ in range(len(ment_index[aid]))]
                # a "discovered" person that is really a cue ("Putin Aide Says ...") is dropped
                out[aid] = [m for m in batch if not (
                    str(m.get("method")) == "discovered"
                    and str(m.get("surface", "")).lower() in matcher.first_words)]
        return out
    para_lookup = {}
    if paragraphs is not None and len(paragraphs):
        pcols = ["article_id", "paragraph_id", "start", "text"]
        if set(pcols) <= set(paragraphs.columns) and paragraphs.columns.is_unique:
            for aid, pid, start, text in _rows(paragraphs, pcols):
                para_lookup[(aid, pid)] = (int(start), str(text))
        else:
            for row in paragraphs.itertuples(index=False):
                para_lookup[(row.article_id, row.paragraph_id)] = (int(row.start),
                                                                   str(row.text))

    rows = []
    cols = ["article_id", "sentence_id", "paragraph_id", "kind", "start", "end", "text"]
    by_article: dict = {}
    for r in _rows(sents, cols):
        rec = _Sent(r[0], int(r[1]), r[2], str(r[3]), int(r[4]), int(r[5]), str(r[6]))
        by_article.setdefault(rec.article_id, []).append(rec)
    aids = list(by_article)
    ment_by_article: dict = {}
    for i, aid in enumerate(aids):
        if i % _MENTION_BATCH == 0:   # the next batch of articles
            ment_by_article = mention_records(aids[i:i + _MENTION_BATCH])
        art = by_article[aid]
        ctx = _ArticleContext(aid, ment_by_article.get(aid, []), genders, cb_roles)
        ctx.persons = _collect_persons(ctx, art)
        ctx.sent_spans = [(r.start, r.end, r.sentence_id) for r in art]
        ctx.full_text = "\n".join(r.text for r in art)
        _sent_text = {r.start: r.text for r in art}
        ctx.text_at = lambda s, e, _t=_sent_text: _t.get(s)
        by_para: dict = {}
        for r in art:
            by_para.setdefault(r.paragraph_id, []).append(r)
        for pid, psents in by_para.items():
            ptext, pstart = _paragraph_text(psents, para_lookup.get((aid, pid)))
            _process_paragraph(ctx, matcher, ptext, pstart, psents, psents[0].kind)
        for k, st in enumerate(ctx.statements):
            st["statement_id"] = k
            rows.append(st)
    if not rows:
        return _empty_statements()
    out = pd.DataFrame(rows)[STATEMENT_COLUMNS]
    return _typed(out)


_MENTION_BATCH = 500   # articles whose mention records are converted at once


def _column_values(ser: pd.Series) -> list:
    """``list(ser)`` (the values ``itertuples`` gives), converted in bulk where the dtype
    allows: strings (missing ones are the dtype's own NA value) and plain numbers."""
    dt = ser.dtype
    if isinstance(dt, pd.StringDtype):
        return ser.to_numpy(dtype=object, na_value=dt.na_value).tolist()
    if isinstance(dt, np.dtype) and dt.kind in "iufb":
        return ser.to_numpy().tolist()
    return list(ser)


def _rows(frame: pd.DataFrame, cols) -> zip:
    """``frame[cols].itertuples(index=False, name=None)``, built column by column."""
    return zip(*[_column_values(frame[c]) for c in cols])


def _records(frame: pd.DataFrame) -> list:
    """``frame.to_dict("records")``: the same dicts with the same values, built column by
    column. to_dict boxes the values of object and extension columns to Python scalars
    (``maybe_box_native``: a missing string becomes None), as done here."""
    if _box_native is None or not frame.columns.is_unique:
        return frame.to_dict("records")
    cols = list(frame.columns)
    values = []
    for k in range(len(cols)):
        ser = frame.iloc[:, k]
        dt = ser.dtype
        if isinstance(dt, pd.StringDtype):     # a str (boxed as itself) or the dtype's NA
            values.append(ser.to_numpy(dtype=object,
                                       na_value=_box_native(dt.na_value)).tolist())
        elif dt == object or isinstance(dt, ExtensionDtype):
            # maybe_box_native returns a str, a bool or None as it is
            values.append([v if type(v) is str or type(v) is bool or v is None
                           else _box_native(v) for v in ser])
        else:
            values.append(_column_values(ser))
    return [dict(zip(cols, row)) for row in zip(*values)]


def _empty_statements() -> pd.DataFrame:
    return _typed(pd.DataFrame({c: [] for c in STATEMENT_COLUMNS}))


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in ["statement_id", "sentence_id", "start", "end"]:
        df[c] = df[c].astype("int64")
    for c in ["cue_start", "cue_end", "speaker_start", "speaker_end"]:
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    for c in ["cue", "text", "speaker", "affiliation"]:
        df[c] = df[c].astype("string")
    for c in ["kind", "speaker_kind", "attribution"]:
        df[c] = df[c].astype("category")
    df["is_official"] = pd.array([None if pd.isna(v) else bool(v) for v in df["is_official"]],
                                 dtype="boolean")
    return df.reset_index(drop=True)


def _codebook_hints(cb):
    genders, roles = {}, {}
    if cb is None or not isinstance(cb, pd.DataFrame) or "actor" not in cb.columns:
        return genders, roles
    for r in cb.to_dict("records"):
        g = r.get("gender")
        if isinstance(g, str) and g:
            g = {"he": "m", "him": "m", "male": "m", "m": "m", "man": "m", "she": "f", "her": "f",
                 "female": "f", "f": "f", "woman": "f"}.get(g.strip().lower())
            if g:
                genders[r["actor"]] = g
        extra = set()
        for col in ("title",):
            if isinstance(r.get(col), str) and r.get(col):
                extra.add(r[col].lower())
        rl = r.get("roles")
        if isinstance(rl, (list, tuple)):
            roles[r["actor"]] = {str(x).lower() for x in rl}
        elif isinstance(rl, str) and rl:
            roles[r["actor"]] = {x.strip().lower() for x in rl.split(";")}
        roles[r["actor"]] = roles.get(r["actor"], set()) | extra
    return genders, roles


def _paragraph_text(psents, para):
    if para is not None:
        return para[1], para[0]
    start = min(s.start for s in psents)
    end = max(s.end for s in psents)
    buf = [" "] * (end - start)
    for s in psents:
        t = str(s.text)
        buf[int(s.start) - start:int(s.start) - start + len(t)] = list(t)
    return "".join(buf[:end - start]), start


def _collect_persons(ctx, art):
    """Persons the article names, with the role words the article gives them.

    Only persons (``kind == "person"``) are ever read from ``ctx.persons``, so the other
    mentions are left out. The role words of the mentioned persons are only read by
    :func:`_resolve_role`; they are filled in by :func:`_fill_descriptors` on its first call
    for the article (from the same inputs, so they are what they would have been here)."""
    persons = []
    unfilled = []
    for m in ctx.mentions:
        kind = str(m.get("kind") or "")
        actor = str(m["actor"])
        if kind != "person":
            continue        # ctx.persons is only ever read for persons
        p = _Person(actor=actor, kind=kind, affiliation=m.get("affiliation"),
                    is_official=m.get("is_official"), start=int(m["start"]),
                    end=int(m["end"]), gender=ctx.genders.get(m.get("actor")))
        persons.append(p)
        unfilled.append((p, m))
    ctx.unfilled_descriptors = (unfilled, art)
    # people the codebook does not know, introduced with an appositive or a role:
    # "Sir Richard Dearlove, the ex-head of MI6," / "spokesman Heorhii Tykhyi"
    covered = sorted((int(m["start"]), int(m["end"])) for m in ctx.mentions)
    # a span (a, b) overlaps a mention iff some mention starting before b ends after a: the
    # largest end among the mentions that start before b
    cov_starts = [s0 for s0, _e0 in covered]
    cov_max_end = []
    for _s0, e0 in covered:
        cov_max_end.append(max(e0, cov_max_end[-1]) if cov_max_end else e0)
    for r in art:
        if r.kind in ("headline", "subheading", "title"):
            continue
        for mm in _appositive_names(r.text):
            if not (mm.group("desc") or (mm.group("pre") and mm.group("pre").split()[-1] in
                                         _ROLE_OR_MODIFIER)):
                continue            # a capitalised pair with no role or appositive: not enough
            a, b = r.start + mm.start("name"), r.start + mm.end("name")
            k = bisect_left(cov_starts, b)      # the mentions with s0 < b
            if k and cov_max_end[k - 1] > a:
                continue
            name = mm.group("name")
            toks = [t.lower() for t in name.split()]
            if toks[0] in _CAP_FUNCTION or _looks_org(name) or any(
                    t in _TITLE_WORDS or t in _NATIONALITY or t in _MODIFIERS for t in toks):
                continue
            if re.match(r"\s+[A-Z]", r.text[mm.end("name"):]) or _CAP_WORD_BEFORE_REV.match(
                    r.text[:mm.start("name")][::-1]):
                continue            # part of a longer capitalised run
            desc = {(mm.group("desc") or mm.group("pre") or "").lower().strip()}
            persons.append(_Person(actor=name, kind="person", affiliation=None,
                                   is_official=None, start=a, end=b, descriptors=desc))
    persons.sort(key=lambda p: p.start)
    return persons


def _fill_descriptors(ctx):
    """The role words of the persons :func:`_collect_persons` made from mentions: the
    mention's role, the codebook's roles, the words just before the mention and an
    appositive just after it ("Yuri Ushakov, a Kremlin aide,")."""
    unfilled, art = getattr(ctx, "unfilled_descriptors", ((), ()))
    if not unfilled:
        return
    ctx.unfilled_descriptors = ((), ())
    text_by_sent = {(r.start, r.end): r.text for r in art}
    spans = sorted(text_by_sent)
    starts = [s for s, _e in spans]
    # sorted spans that do not overlap: the only span that can hold pos is the last one
    # starting at or before it (a bisection gives what the linear scan below gives)
    disjoint = all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))

    def sentence_of(pos):
        if disjoint:
            i = bisect_right(starts, pos) - 1
            if i >= 0 and pos < spans[i][1]:
                return spans[i][0], text_by_sent[spans[i]]
            return None, ""
        for (s, e) in spans:
            if s <= pos < e:
                return s, text_by_sent[(s, e)]
        return None, ""

    for p, m in unfilled:
        m_start, m_end = int(m["start"]), int(m["end"])
        s0, stext = sentence_of(m_start)
        desc = set()
        role = m.get("role")
        if isinstance(role, str) and role:
            desc.add(role.lower())
        desc |= ctx.codebook_roles.get(m.get("actor"), set())
        if s0 is not None:
            before = stext[max(0, m_start - s0 - 120):m_start - s0]
            lead = _lead_words(before)
            if lead is not None:
                desc.add(lead.lower().strip())
            after = stext[m_end - s0:m_end - s0 + 120]
            ma = _APPOSITIVE_AFTER.match(after)
            if ma:
                desc.add(ma.group(1).lower())
        p.descriptors = desc


# The words just before a mention: what re.search(r"((?:[\w.’'-]+\s+){1,6})$", before)
# finds, read on the reversed text. An end-anchored search retries the pattern from every
# position; the reversed match reads only the tail. Each repetition is a maximal word run
# followed by a maximal blank run, so the greedy reversed match is the longest tail that
# matches, i.e. the leftmost start the forward search returns.
_LEAD_WORDS_REV = re.compile(r"(?:\s+[\w.’'-]+){1,6}")
# re.search(r"[A-Z][\w’'.-]*\s+$", text) is true iff this matches text[::-1]
_CAP_WORD_BEFORE_REV = re.compile(r"\s+[\w’'.-]*[A-Z]")
_APPOSITIVE_AFTER = re.compile(r"\s*,\s*((?:the|a|an)\s+[^,.;]{2,80}?)(?:[,.;]|$)")


def _lead_words(before: str):
    """The last one to six words of ``before`` with their trailing blanks, or None."""
    m = _LEAD_WORDS_REV.match(before[::-1])
    return before[len(before) - m.end():] if m else None


_APPOSITIVE_NAME = re.compile(
    r"(?:(?P<pre>\b(?:[a-z][\w-]*\s+){1,3})|(?<![\w’'-])(?:Sir|Dame|Dr\.?|Mr\.?|Ms\.?|Mrs\.?)\s+)?"
    r"(?P<name>[A-Z][a-zà-ÿ’'-]+(?:\s+[A-Z][a-zà-ÿ’'-]+){1,2})"
    r"(?:,\s+(?P<desc>(?:the|a|an)\s+[^,.;]{2,80})(?=[,.;]))?")
# every _APPOSITIVE_NAME match holds a name, so it holds this pair of capitalised words
_NAME_PAIR = re.compile(r"[A-Z][a-zà-ÿ’'-]+\s+[A-Z][a-zà-ÿ’'-]")
# on the reversed text before a position: blanks, then the last three runs of non-blanks
_THREE_RUNS_REV = re.compile(r"\s*\S+(?:\s+\S+){2}")


def _appositive_names(text: str):
    """The matches of ``_APPOSITIVE_NAME.finditer(text)``, without trying the pattern at
    every character: a match holds a name at or after the next capitalised pair (position
    n0), and what precedes its name (up to three words or a title) starts no earlier than the
    third run of non-blanks before n0, so the search may start there."""
    pos = 0
    while True:
        mn = _NAME_PAIR.search(text, pos)
        if mn is None:
            return
        n0 = mn.start()
        mb = _THREE_RUNS_REV.match(text[:n0][::-1])
        m = _APPOSITIVE_NAME.search(text, max(pos, n0 - mb.end() if mb else 0))
        if m is None:
            return
        yield m
        pos = m.end()


# --------------------------------------------------------------------------------------------
# paragraph processing
# --------------------------------------------------------------------------------------------

_TRAILING_ADJUNCT = re.compile(
    r"\s*(?:after|following|during|before|ahead of|at|in|on|from|via|through|while|when|"
    r"outside|inside|upon|late|early|earlier|later|last|this)\b[^,;:“”\"«»]{0,70}"
    r"(?:,\s*(?:which|who|where|when|as|after|before|while|adding|saying|noting|[a-z]+ing)\b.*)?"
    r"(?:[.!?]|;.*)?[\s\"”’»]*$", re.IGNORECASE | re.DOTALL)
_OBJECT_CUES = {"call", "accuse", "urge", "call on", "describe ... as", "characterize ... as",
                "reject ... as", "hail ... as", "demand"}
_TELL_LIKE = {"tell", "inform", "assure", "urge", "warn", "remind", "brief", "accuse"}
_QUOTE_OPENERS = set("“„‟«‘‚‛‹\"'")
_PRON_TOKENS = {"he", "she", "it", "they"}
_CAP_FUNCTION = {
    "but", "and", "the", "however", "meanwhile", "also", "still", "yet", "so", "now", "then",
    "later", "earlier", "in", "on", "at", "as", "when", "after", "if", "while", "speaking",
    "asked", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "separately", "instead", "indeed", "again", "here", "there", "this", "that", "last",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.",
    "overnight", "closer", "hours", "days", "weeks", "minutes", "moments", "shortly", "soon",
    "update", "updated", "breaking", "watch", "read", "live", "exclusive", "analysis",
}
_TITLE_WORDS = {
    "president", "prime", "minister", "foreign", "secretary", "state", "chancellor", "senator",
    "sen.", "rep.", "gen.", "general", "special", "envoy", "deputy", "chief", "spokesman",
    "spokeswoman", "spokesperson", "aide", "adviser", "advisor", "vice", "kremlin", "white",
    "house", "defence", "defense", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "dr", "dr.",
    "ambassador", "premier", "commander", "director", "head", "leader", "u.s.", "us", "uk",
    "russian", "ukrainian", "american", "european", "senior", "top", "national", "security",
    "economic", "presidential", "press", "lord", "sir", "king", "queen", "pope", "former",
    "the", "of", "representative", "negotiator", "assistant", "official",
}
# unions of the vocabularies above that hot loops test words against (built once)
_ROLE_OR_MODIFIER = _ROLE_NOUNS | _MODIFIERS
_ROLE_OR_PP_HOST = _ROLE_NOUNS | _PP_HOSTS
_ROLE_OR_ANON = _ROLE_NOUNS | _ANON_HEADS
_SUBJECT_PRONOUNS = _PRON_TOKENS | {"i", "we"}
_OBJECT_PRONOUNS = _PRON_TOKENS | {"him", "her", "them", "it"}
_SPEAKER_PRONOUNS = _PRON_TOKENS | {"him", "her", "them", "i", "we", "the latter", "the former"}
_PP_WORDS = _POST_PREPS | {"close", "familiar", "briefed", "involved"}
_CAP_FUNCTION_NOT_THE = _CAP_FUNCTION - {"the"}
_NOT_RELATIVE_BEFORE_CUE = _BOUNDARY_WORDS | {"said", "says", "added", "told"}


def _word_count(s: str) -> int:
    return len(_W_RUN.findall(s))


def _has_words(s: str, n: int = 1) -> bool:
    """``_word_count(s) >= n``, reading ``s`` only up to its n-th word."""
    if n == 1:
        return _W_RUN.search(s) is not None
    for k, _m in enumerate(_W_RUN.finditer(s), 1):
        if k == n:
            return True
    return n <= 0


def _cue_as_written(matched: str, entry) -> str:
    words = matched.split()
    if entry[4]:                      # gap form: "described the talks as" -> "described ... as"
        ntail = len(entry[1].split("...")[1].split())
        return " ".join(words[:len(entry[1].split("...")[0].split())]) + " ... " + \
            " ".join(words[-ntail:])
    return " ".join(words)


# patterns of the paragraph and clause readers (compiled once: a module-level re call
# looks the pattern up in re's cache each time)
_QUESTION_END = re.compile(r"\?[\s”\"’»]*$")
_QUESTION_START = re.compile(
    r"\s*(?:what|who|why|how|when|where|which|did|does|do|is|are|was|were|will|"
    r"would|can|could|has|have|should)\b", re.IGNORECASE)
_NON_BLANKS = re.compile(r"\S+")
_HEADLINE_DASH_SPEAKER = re.compile(r"\s[—–-]{1,2}\s*((?:[\w.’'-]+\s+){0,3}[\w.’'-]+)\s*$")
_THAT_GAP = re.compile(r"\s*(?:that\s*)?")
_TELL_THAT_GAP = re.compile(r"\s*(?:[\w’'.-]+\s+){0,3}?(?:that\s*)?")
_COLON_CLOSING = re.compile(r"[^.!?“”\"«»]{0,80}:\s*$")
_LATIN_WORD = re.compile(r"[A-Za-z][\w’'-]*")
_SENTENCE_PUNCT_END = re.compile(r"[.!?]\W*$")
_COLON_END = re.compile(r":\s*$")
_SENTENCE_OR_COMMA_END = re.compile(r"[.!?,]\W*$")
_QUOTED_SENTENCE_END = re.compile(r"[“\"‘«„][^”\"’»“]*[.!?]$")
_OPENING_SINGLE_QUOTE = re.compile(r"[‘'](?=\w)")
_THAT_COLON_OR_QUOTE_START = re.compile(r"\s*(?:that\b|[:“\"‘«„]|,\s*[“\"‘«„])")
_QUOTE_THEN_WORDS_END = re.compile(r"[”\"’»“],?\s*(?:[\w’'.-]+\s+){0,6}$")
_SENTENCE_END_BEFORE = re.compile(r"[.!?][\"”’»]?\s+$")
_QUOTE_SOON_AFTER = re.compile(r"(?:\s+[\w’'.,-]+){0,8}?\s+[“\"‘«„']\w")
_CLAUSE_BREAK_END = re.compile(r"(?:[,—–][”\"’»]?|\s-)\s*$")
_CONJ_AFTER_BREAK_END = re.compile(r"[,—–]\s*(?:and|while|before|after)\s+$")
_OF_BY_AFTER = re.compile(r"\s+(?:of|by)\b")
_PARTICIPLE_CLAIM = re.compile(
    r"(?:[,—–][”\"’»]?|\s-)\s*(?:and\s+|while\s+|before\s+|after\s+)?$")
_SAID_NOTHING_AFTER = re.compile(
    r"\s*(?:little|nothing|much|so|otherwise|anything|something|no more)\b"
    r"(?:\s+(?:more|else|new|in public|publicly|about \w+))?\s*[.,;]?\s*$", re.IGNORECASE)
_COMMA_END = re.compile(r",\s*$")
_COMMA_NAME_COMMA = re.compile(r"\s*,\s*((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*)\s*,")
_WHO_END = re.compile(r",?\s*\bwho\s*$")
_COORDINATOR_END = re.compile(r"\b(?:and|but|then|before|as well as)\s*$", re.IGNORECASE)
_SUBJECT_GAP_END = re.compile(r"(?:[,”\"’»—–]|^)\s*$")
_ONLY_END_PUNCT = re.compile(r"[\s.!?\"”’»]*$")
_COMMA_DASH_END = re.compile(r"[,—–]\s*$")
_DQUOTE_MARK = re.compile(r"[“”\"«»„]")
_LEADING_BLANKS = re.compile(r"\s*")
_LAST_WORD_AT_END = re.compile(r"\s+(\w+)$")
_THAT_IS_WHAT = re.compile(r"[\s,;:—–-]*(?:that|this|which|it) (?:is|was) (?:what|how)\b")
_BEFORE_THAT = re.compile(r"(?:[^,.;:“”\"]{0,60}?)\bthat\b")
_THAT_AFTER = re.compile(r"\s*,?\s*that\b")
_COMMA_STOP_START = re.compile(r"\s*[,.;]")
_UP_TO_THAT = re.compile(r"(?:[^,.;:“”\"]{0,60}?)(?=\bthat\b)")
_COMMA_DASH_PAREN_AFTER = re.compile(r"\s*[,—–(]")
_AS_LIKE_END = re.compile(r"\b(?:as|the way|like|just as)\s*$", re.IGNORECASE)
_COLON_START = re.compile(r"\s*:")
_THAT_OR_QUOTE_START = re.compile(r"\s*(?:that\b|[:“\"‘«„])")
_UP_TO_QUOTE = re.compile(
    r"(?:[^“\"‘«„.!?;]|\.(?=\w|\s+[a-z]))*?([,.:;—–]?)\s*(?=[“\"‘«„])")
_POSSESSIVE_TAIL = re.compile(r"[’']s?\s*")
_DESC_ARTICLE = re.compile(r"^(?:the|a|an|some|several)\s+", re.IGNORECASE)
_ORG_WORD = re.compile(r"\b(?:Ministry|Office|Kremlin|House|Department|Council|Commission|"
                       r"Agency|Government|Embassy|Pentagon|Committee|Union|NATO|Service|"
                       r"Army|Forces|Press|News|Times|Post|Journal|Reuters|TASS|RIA|Interfax)"
                       r"\b")


def _process_paragraph(ctx, matcher, ptext, pstart, psents, pkind):
    quotes = find_quotes(ptext)
    ctx.pending = []
    sspans = []
    for s in psents:
        a, b = s.start - pstart, s.end - pstart
        sspans.append((max(0, a), min(len(ptext), b), int(s.sentence_id)))
    if not sspans:
        return

    def sent_index(pos):
        for k, (a, b, _sid) in enumerate(sspans):
            if pos < b:
                return k
        return len(sspans) - 1

    def in_closed_quote(pos):
        return any(q.close is not None and q.inner_start <= pos < q.end for q in quotes)

    def in_open_quote(pos):
        for q in quotes:
            if q.close is None and q.inner_start <= pos < q.end:
                return q
        return None

    # ---- 1. reporting clauses
    clauses: list[_Clause] = []
    is_question: dict = {}
    for m in matcher.finditer(ptext):
        entry = matcher.entries[int(m.lastgroup[1:])]
        cs, ce = m.span()
        if in_closed_quote(cs):
            continue
        k = sent_index(cs)
        ss, se, _ = sspans[k]
        if k not in is_question:
            is_question[k] = bool(_QUESTION_END.search(ptext[max(ss, se - 8):se]))
        if is_question[k] and _QUESTION_START.match(ptext[ss:se]):
            continue            # the reporter's question ("What did the Kremlin say?")
        prev = [c for c in clauses if c.sent_idx == k]
        cl = _read_clause(ctx, ptext, pstart, ss, se, cs, ce, entry, quotes, prev,
                          in_open_quote(cs), sspans, k)
        if cl is not None:
            cl.sent_idx = k
            cl.lemma = entry[0]
            cl.cue = _cue_as_written(ptext[cs:ce], entry)
            if entry[4]:                # "described ... as": locate the verb itself
                cl.cue_end = cl.cue_start + len(_NON_BLANKS.match(ptext[cs:]).group(0))
            clauses.append(cl)
            if cl.speaker is not None:
                ctx.pending.append(cl.speaker | {"start": pstart + cl.cue_start})
    # colon attributions: "Ushakov: the talks were useful" (headlines, standfirsts, captions)
    # (a sentence holds a colon only if the paragraph does)
    for k, (ss, se, _sid) in enumerate(sspans if ":" in ptext else ()):
        mcol = _COLON_ATTRIBUTION.match(ptext[ss:se]) if ":" in ptext[ss:se] else None
        if not mcol or any(c.sent_idx == k and c.claim_start < ss + mcol.end() for c in clauses):
            continue
        a, b = ss + mcol.start(1), ss + mcol.end(1)
        if in_closed_quote(a):
            continue
        spk = _resolve_phrase(ctx, ptext, pstart, a, b, strict=True)
        if spk is None:
            continue
        clauses.append(_Clause(cue=":", cue_start=b, cue_end=b + 1, claim_start=a,
                               claim_end=ss + mcol.end(), speaker=spk, side="right",
                               sent_idx=k))
    # headline attributions after a dash: "Talks useful, no compromise yet — Ushakov"
    if pkind in ("headline", "standfirst", "subheading", "title"):
        for k, (ss, se, _sid) in enumerate(sspans):
            mdash = _HEADLINE_DASH_SPEAKER.search(ptext[ss:se])
            if not mdash or any(c.sent_idx == k for c in clauses):
                continue
            a, b = ss + mdash.start(1), ss + mdash.end(1)
            spk = _resolve_phrase(ctx, ptext, pstart, a, b, strict=True)
            if spk is None or _word_count(ptext[ss:ss + mdash.start()]) < 2:
                continue
            clauses.append(_Clause(cue="—", cue_start=ss + mdash.start() + 1,
                                   cue_end=ss + mdash.start() + 2, claim_start=ss + mdash.start(),
                                   claim_end=se, speaker=spk, side="left", sent_idx=k))
    clauses.sort(key=lambda c: c.cue_start)

    # a clause nested in another's content ("X said Moscow would insist ...") is content
    nested = set()
    for i in range(1, len(clauses)):
        c0, c1 = clauses[i - 1], clauses[i]
        if c0.sent_idx == c1.sent_idx and c1.side == "?" and c0.side in ("?", "right") \
                and c0.lemma != "according to" and c1.claim_start >= c0.claim_end:
            gap = ptext[c0.claim_end:c1.claim_start]
            madj = _ADJUNCT_AFTER_CUE.match(gap)
            gap = gap[madj.end():] if madj else gap
            if _THAT_GAP.fullmatch(gap) or (c0.lemma in _TELL_LIKE
                                            and _TELL_THAT_GAP.fullmatch(gap)):
                nested.add(i)
    clauses = [c for i, c in enumerate(clauses) if i not in nested]

    # ---- 2. content spans
    for i, cl in enumerate(clauses):
        ss, se, _ = sspans[cl.sent_idx]
        same = [c for c in clauses if c.sent_idx == cl.sent_idx]
        j = same.index(cl)
        seg_start = same[j - 1].claim_end if j > 0 else ss
        seg_end = same[j + 1].claim_start if j + 1 < len(same) else se
        cl.content = _content_span(ptext, cl, seg_start, seg_end, ss, se, quotes)
    # the same content reported twice in one sentence by the same speaker: keep the first
    kept = []
    carry = getattr(ctx, "colon_carry", None)
    ctx.colon_carry = None
    for cl in clauses:
        if cl.content is None:
            # "Dmitriev wrote on Telegram:" closing the paragraph: the quote follows below
            if _COLON_CLOSING.match(ptext[cl.cue_end:]):
                ctx.colon_carry = (cl, pstart)
            continue
        a, b, _k = cl.content
        if b - a <= 0 or not _has_words(ptext[a:b]):
            continue
        dup = None
        for o in kept:
            oa, ob, _ = o.content
            overlap = min(b, ob) - max(a, oa)
            if overlap > 0.6 * min(b - a, ob - oa):
                dup = o
                break
        if dup is not None:
            if cl.lemma == "according to":
                continue        # "X told Y that Z, according to W": W is the provenance
            if _same_speaker(dup.speaker, cl.speaker) or dup.speaker.get("attribution") == \
                    "unattributed" and cl.speaker.get("speaker"):
                if dup.speaker.get("speaker") is None and cl.speaker.get("speaker"):
                    dup.speaker = cl.speaker
                continue
        kept.append(cl)

    # ---- 3. quotes not claimed by a clause
    for q in quotes:
        if any(c.content[0] <= q.inner_start and q.end <= c.content[1] + 1 for c in kept) or \
                any(c.content[0] - 1 <= q.inner_start < c.content[1] for c in kept):
            q.claimed = True
    emitted = []
    for cl in kept:
        emitted.append(("clause", cl.content[0], cl))
    for q in quotes:
        if q.claimed:
            continue
        inner = ptext[q.inner_start:q.end]
        n_words = _word_count(inner)
        if n_words <= 2:
            continue            # scare quotes, titles, nicknames
        words = _LATIN_WORD.findall(inner)
        if len(words) <= 8 and all(w[0].isupper() or w.lower() in {"of", "the", "and", "for",
                                                                   "a", "in", "on", "to"}
                                   for w in words) and not _SENTENCE_PUNCT_END.search(inner):
            continue            # a title in quotes ("Peace Through Strength")
        # a quote that is only part of a reporter's sentence (no sentence punctuation, with
        # the reporter's words on both sides) is a partial quote, not a statement of its own
        k = sent_index(q.open)
        ss, se, _ = sspans[k]
        before = ptext[ss:q.open]
        after = ptext[q.outer_end:se]
        if n_words <= 3 and _has_words(after) and not _SENTENCE_PUNCT_END.search(inner):
            continue
        if (n_words <= 6 and _has_words(before, 3) and not _COLON_END.search(before)
                and (n_words <= 3 or _has_words(after, 2)
                     or not _SENTENCE_OR_COMMA_END.search(inner))):
            continue
        emitted.append(("quote", q.inner_start, q))
    emitted.sort(key=lambda t: t[1])

    for what, _pos, obj in emitted:
        if what == "clause":
            cl = obj
            a, b, kind = cl.content
            a, b = _trim(ptext, a, b)
            if kind == "indirect" and b > a and ptext[b - 1] in ".!?" and not (
                    ptext[b - 1] == "." and _ABBREV_END_REV.match(ptext[max(a, b - 3):b][::-1])
            ) and not _QUOTED_SENTENCE_END.search(ptext[a:b]):
                a, b = _trim(ptext, a, b - 1)
            if b <= a:
                continue
            spk = cl.speaker
            sid = sspans[sent_index(a)][2]
            _emit(ctx, pstart, sid, a, b, kind, cl.cue, cl.cue_start, cl.cue_end, ptext, spk)
        else:
            q = obj
            a, b = _trim(ptext, q.inner_start, q.end)
            if b <= a:
                continue
            sid = sspans[sent_index(a)][2]
            if carry is not None and q.open <= 2:
                ccl, cpstart = carry
                carry = None
                _emit(ctx, pstart, sid, a, b, "direct", ccl.cue, ccl.cue_start + cpstart - pstart,
                      ccl.cue_end + cpstart - pstart, ptext, ccl.speaker)
                continue
            spk = _subject_of_quote_sentence(ctx, ptext, pstart, sspans[sent_index(a)], q) or \
                _speaker_after_colon(ctx, ptext, pstart, sspans[sent_index(a)], q) or \
                _continuation_speaker(ctx, pstart + a)
            _emit(ctx, pstart, sid, a, b, "direct", None, None, None, ptext, spk)


def _same_speaker(s1, s2):
    return (s1 or {}).get("speaker") == (s2 or {}).get("speaker")


def _trim(ptext, a, b):
    while a < b and (ptext[a].isspace() or ptext[a] in "\"“”„«»‘’'‚,:;—–-"):
        if ptext[a] in "‘’'" and a + 1 < b and ptext[a + 1].isalnum() and a > 0 and \
                ptext[a - 1].isalnum():
            break
        a += 1
    while b > a and (ptext[b - 1].isspace() or ptext[b - 1] in ",;:—–-\"“”„«»"):
        b -= 1
    # a trailing single quote mark that closes nothing inside the span
    while b > a and ptext[b - 1] in "’'‘" and \
            not _OPENING_SINGLE_QUOTE.search(ptext[a:b - 1]) \
            and not ptext[b - 2].isalpha():
        b -= 1
    return a, b


def _emit(ctx, pstart, sid, a, b, kind, cue, cue_s, cue_e, ptext, spk):
    spk = spk or {"speaker": None, "speaker_start": None, "speaker_end": None,
                  "speaker_kind": "unknown", "affiliation": None, "is_official": None,
                  "attribution": "unattributed"}
    row = {
        "article_id": ctx.article_id, "sentence_id": sid, "start": pstart + a,
        "end": pstart + b, "kind": kind, "cue": cue,
        "cue_start": None if cue_s is None else pstart + cue_s,
        "cue_end": None if cue_e is None else pstart + cue_e,
        "text": ptext[a:b],
        "speaker": spk.get("speaker"),
        "speaker_start": spk.get("speaker_start"), "speaker_end": spk.get("speaker_end"),
        "speaker_kind": spk.get("speaker_kind") or "unknown",
        "affiliation": spk.get("affiliation"),
        "is_official": spk.get("is_official"), "attribution": spk.get("attribution"),
        "_pkind": spk.get("speaker_kind"),
    }
    ctx.statements.append(row)


def _subject_of_quote_sentence(ctx, ptext, pstart, span, q):
    """ "Dmitriev upbeat after talks: 'dialogue is productive'" -> the person who opens it."""
    ss = span[0]
    if q.open <= ss:
        return None
    mintro = _INTRO_PREFIX.match(ptext, ss, q.open)
    pos = pstart + (mintro.end() if mintro else ss)
    for m in ctx.mentions:
        if pos - 1 <= m["start"] <= pos + 1 and m["end"] <= pstart + q.open:
            if m.get("kind") == "person":
                return _mention_speaker(m, "explicit") | {"speaker_start": int(m["start"]),
                                                          "speaker_end": int(m["end"])}
    return None


def _speaker_after_colon(ctx, ptext, pstart, span, q):
    """ "‘We are not naive’: Ukraine's deputy foreign minister on the talks" -> that person."""
    m = re.match(r"\s*:\s*((?:[\w’'.-]+\s+){0,8}?[\w’'.-]+)\s*(?:\b(?:on|about|over|after|"
                 r"at|in)\b[^.;:]*)?[.!?]?\s*$", ptext[q.outer_end:span[1]])
    if not m:
        return None
    a, b = q.outer_end + m.start(1), q.outer_end + m.end(1)
    spk = _resolve_phrase(ctx, ptext, pstart, a, b)
    if spk is None or spk.get("_pron") or spk.get("speaker_kind") not in ("person", "org"):
        return None
    return spk


def _continuation_speaker(ctx, pos):
    """A quote with no cue of its own continues the latest statement of the article, unless
    a person was made the subject of a sentence since ("Peskov was blunt. “…”")."""
    last = None
    for st in reversed(ctx.statements):
        if st["start"] < pos and st.get("speaker") and pos - st["end"] < 1500:
            last = st
            break
    subj = None
    for m in reversed(ctx.mentions):
        if m["start"] >= pos or (last is not None and m["start"] <= last["end"]):
            continue
        if pos - m["end"] > 600:
            break
        if m.get("kind") == "person" and _is_sentence_subject(ctx, m):
            subj = m
            break
    if subj is not None:
        return _mention_speaker(subj, "explicit") | {"speaker_start": int(subj["start"]),
                                                     "speaker_end": int(subj["end"])}
    if last is not None:
        return {k: last[k] for k in ("speaker", "speaker_kind", "affiliation", "is_official",
                                     "attribution")} | {"speaker_start": None,
                                                        "speaker_end": None}
    return None


# ---- one cue -> one clause (speaker + which side holds the content)

# End-anchored searches ("...$") retry their pattern from every position of the text; these
# read the reversed text from its end instead. Each is the reversed pattern: the same
# pieces in the opposite order, words spelt backwards; a \b keeps its meaning (it sits
# between the same two chars). Where a group is used, it is read back reversed.
# re.search(r"([\w’'.]+)\s*$", s): the blanks, then the whole word before them
_LAST_WORD_REV = re.compile(r"\s*([\w’'.]+)")
# re.search(r"([\w’'-]+)\s*$", s)
_LAST_HYPHEN_WORD_REV = re.compile(r"\s*([\w’'-]+)")
# re.search(r"\b(?:not|n[’']t|never|neither|nor|declined to|refused to|without)\s+"
#           r"(?:[\w’']+\s+){0,2}$", s, re.IGNORECASE)
_NEGATED_REV = re.compile(r"(?:\s+[\w’']+){0,2}\s+(?:ton|t[’']n|reven|rehtien|ron|ot denilced|"
                          r"ot desufer|tuohtiw)\b", re.IGNORECASE)
# re.search(r"(?:\b[A-Z]\.)+$|\.\.\.$", s) on an s that ends with "." (the last
# repetition alone decides), read on the last three chars
_ABBREV_END_REV = re.compile(r"\.[A-Z]\b|\.\.\.")
# re.search(r"(?:[\s,;:—–-]|\b(?:and|but|while|as|adding|saying)\b)*$", s).start() is
# len(s) minus the length of this match: a tail splits into those pieces in one way only,
# so the greedy reversed match is the longest such tail
_RIGHT_TAIL_REV = re.compile(r"(?:[\s,;:—–-]|\b(?:dna|tub|elihw|sa|gnidda|gniyas)\b)*")
# the same for r"(?:[\s,;:—–-]|\b(?:as|and|but|that is what|this is what|so)\b)*$"
_LEFT_TAIL_REV = re.compile(r"(?:[\s,;:—–-]|\b(?:sa|dna|tub|tahw si taht|tahw si siht|os)\b)*")
_COLON_ATTRIBUTION = re.compile(r"\s*((?:[\w.’'-]+\s+){0,4}[\w.’'-]+)\s*:\s+(?=\S)")


def _read_clause(ctx, ptext, pstart, ss, se, cs, ce, entry, quotes, prev, open_q, sspans, k):
    cue, form, flag, is_ing, has_gap = entry
    ss = max(ss, cs - 400)      # a speaker phrase is never further away; bounds the work
    after_pos = ce
    if has_gap:
        # content of "described X as Y" starts after the verb: "X as Y"
        after_pos = cs + len(re.match(r"\w+", ptext[cs:]).group(0))
    left = ptext[ss:cs]
    prev_word = _LAST_WORD_REV.match(left[::-1])
    prev_word = prev_word.group(1)[::-1].lower() if prev_word else ""
    if flag == "that":
        rest = ptext[ce:se]
        madj = _ADJUNCT_AFTER_CUE.match(rest)
        rest2 = rest[madj.end():] if madj else rest
        if not _THAT_COLON_OR_QUOTE_START.match(rest2) and not _QUOTE_THEN_WORDS_END.search(left):
            if not (cue in {"report", "write", "post", "note", "repeat", "mention"}
                    and re.match(r"\s*[.,]?\s*$", rest2)):
                return None
    msplit = _SENTENCE_END_BEFORE.search(left)
    if msplit and ptext[cs].isupper():
        ss, left = cs, ""           # "... on X. According to him, ..." (a missed sentence split)
    if flag == "quote" and not _QUOTE_SOON_AFTER.match(ptext[ce:se]):
        return None
    if flag == "prep":
        return _read_prep_clause(ctx, ptext, pstart, ss, se, cs, ce, cue, quotes)
    participle = False
    if is_ing and "saying" not in form.split()[-1:] or form in ("saying",):
        if _CLAUSE_BREAK_END.search(left) or _CONJ_AFTER_BREAK_END.search(left):
            participle = True
        elif prev_word in _BE or form == "quoted as saying":
            pass
        else:
            return None
    elif prev_word in _BE and prev_word not in {"'s", "’s"}:
        return None         # passive: "is said to be", "was told to"
    elif not has_gap and _OF_BY_AFTER.match(ptext[ce:se]) and cue != "warn":
        return None         # participle adjective: "a government accused of aggression"
    if cue in ("argue", "complain", "comment", "explain") and re.match(
            r"\s+(?:over|about|with|among|for|against)\b", ptext[ce:se]):
        return None         # "ministers were arguing over money"
    if participle:
        spk = None
        for c in reversed(prev):
            spk = c.speaker
            break
        if spk is None:
            spk = _sentence_subject(ctx, ptext, pstart, ss, cs)
        if spk is None:
            return None
        claim = _PARTICIPLE_CLAIM.search(left)
        return _Clause(cue=cue, cue_start=cs, cue_end=ce, claim_start=ss + claim.start(),
                       claim_end=after_pos, speaker=spk, side="right")

    # --- subject on the left
    if _NEGATED_REV.match(left[::-1]) or _SAID_NOTHING_AFTER.match(ptext[ce:se]):
        return None         # "did not say when ...", "has said little in public"
    core_end = ss + _skip_before_cue(left)
    a, b = _scan_subject(ptext, ss, core_end)
    claim_a = None
    if a == b and _COMMA_END.search(ptext[ss:core_end]):
        a, b = _parenthetical_subject(ptext, ss, core_end)
        claim_a = a if a < b else None
        if a < b:
            # "A spokesperson for the Commission, Paula Pinho, told": the name is the speaker
            mname = _COMMA_NAME_COMMA.match(ptext[b:core_end + 1])
            np_spk = _resolve_phrase(ctx, ptext, pstart, a, b) if mname else None
            if mname and (np_spk is None or np_spk.get("attribution") in ("unattributed", "title")
                          or np_spk.get("speaker_kind") != "person"):
                na, nb = b + mname.start(1), b + mname.end(1)
                spk_name = _resolve_phrase(ctx, ptext, pstart, na, nb)
                if spk_name is not None and spk_name.get("speaker_kind") in ("person", "unknown"):
                    a, b = na, nb
    if a == b:
        tail = ptext[ss:core_end]
        mwho = _WHO_END.search(tail)
        if mwho:
            a2, b2 = _scan_subject(ptext, ss, ss + mwho.start())
            if a2 < b2:
                a, b = a2, b2
        elif _COORDINATOR_END.search(tail) and (
                prev or _coordinated_subject(ctx, ptext, pstart, ss, cs) is not None):
            spk = prev[-1].speaker if prev else _coordinated_subject(ctx, ptext, pstart, ss, cs)
            mc = _COORDINATOR_END.search(tail)
            return _Clause(cue=cue, cue_start=cs, cue_end=ce, claim_start=ss + mc.start(),
                           claim_end=after_pos, speaker=spk, side="right")
    if a == b:
        # inverted: "..., said Yuri Ushakov, a Kremlin aide." / "“...,” said the aide."
        if _SUBJECT_GAP_END.search(ptext[ss:core_end]) or core_end == ss:
            ra, rb = _scan_subject_right(ptext, ce, se)
            if ra < rb:
                spk = _resolve_phrase(ctx, ptext, pstart, ra, rb)
                if spk is not None:
                    end = _appositive_end(ptext, rb, se)
                    return _Clause(cue=cue, cue_start=cs, cue_end=ce, claim_start=cs,
                                   claim_end=end, speaker=spk, side="left")
        return None
    spk = _resolve_phrase(ctx, ptext, pstart, a, b)
    if spk is None:
        return None
    if spk.get("_pron") in ("i", "we"):
        return None
    mprev = _LAST_HYPHEN_WORD_REV.match(ptext[ss:a][::-1])
    mprev = mprev.group(1)[::-1] if mprev else None
    if mprev and mprev.islower() and mprev not in _NOT_RELATIVE_BEFORE_CUE and \
            _ONLY_END_PUNCT.match(ptext[ce:se]):
        return None         # "the territory Moscow claims." (a reduced relative clause)
    if open_q is not None:
        # a cue inside an unclosed quote: only a trailing attribution ("..., he emphasized")
        # counts; it also tells us where the quote really ended
        before = ptext[open_q.inner_start:a]
        if not _COMMA_DASH_END.search(before) or spk.get("attribution") == "unattributed":
            return None
        cut = a
        while cut > open_q.inner_start and ptext[cut - 1] in " ,—–":
            cut -= 1
        open_q.end = cut
    return _Clause(cue=cue, cue_start=cs, cue_end=ce,
                   claim_start=a if claim_a is None else min(a, claim_a), claim_end=after_pos,
                   speaker=spk, side="?", lemma=cue)


_PAREN_START = re.compile(
    r"\s*(?!(?:and|but|or|so|because|that|while|then|if|when|although|though|yet|adding|"
    r"saying|noting|as well)\b)[\w(]", re.UNICODE | re.IGNORECASE)


def _parenthetical_subject(ptext, ss, hi):
    """Subject before one to three parentheticals: "Yuri Ushakov, a Kremlin aide, said" ->
    "Yuri Ushakov"; "A senior diplomat, speaking on condition of anonymity, said"."""
    text = ptext[ss:hi]
    commas = [m.start() for m in re.finditer(r",", text)]
    if len(commas) < 2:
        return hi, hi
    mintro = _INTRO_PREFIX.match(text)
    lo = mintro.end() if mintro else 0
    starts = [lo] + [c + 1 for c in commas]
    for k in range(len(commas) - 1):
        seg_a, seg_b = starts[k], commas[k]
        if seg_b <= lo:
            continue
        seg = text[seg_a:seg_b]
        if not seg.strip():
            continue
        a, b = _scan_subject(ptext, ss + seg_a, ss + seg_b)
        if a == b or a != ss + seg_a + (len(seg) - len(seg.lstrip(" \t\n”\"’»"))):
            continue
        segs = text[seg_b:].split(",")[1:-1]
        if 1 <= len(segs) <= 3 and all(_PAREN_START.match(sg) and _word_count(sg) <= 32
                                       and not _DQUOTE_MARK.search(sg) for sg in segs):
            return a, b
    return hi, hi


def _read_prep_clause(ctx, ptext, pstart, ss, se, cs, ce, cue, quotes):
    ra, rb = _scan_subject_right(ptext, ce, se, allow_lower=True)
    spk = _resolve_phrase(ctx, ptext, pstart, ra, rb, prep=True) if ra < rb else None
    if spk is None:
        # "according to data from Kpler", "according to a report": always an attribution
        m = re.match(r"\s*([^,.;:“”\"«»]{2,90}?)(?=\s*(?:[,.;:]|$))", ptext[ce:se])
        if not m or _word_count(m.group(1)) > 12:
            return None
        ra, rb = ce + m.start(1), ce + m.end(1)
        phrase = ptext[ra:rb]
        ms = [x for x in ctx.mentions if x["start"] >= pstart + ra and x["end"] <= pstart + rb]
        if ms:
            spk = {"speaker_start": int(ms[-1]["start"]), "speaker_end": int(ms[-1]["end"])} | \
                _mention_speaker(ms[-1], "explicit")
        else:
            spk = {"speaker": re.sub(r"^(?:the|a|an)\s+", "", phrase.strip(), flags=re.IGNORECASE),
                   "speaker_start": pstart + ra, "speaker_end": pstart + rb,
                   "speaker_kind": "anonymous", "affiliation": None, "is_official": None,
                   "attribution": "unattributed"}
    end = _appositive_end(ptext, rb, se, need_comma=True)
    return _Clause(cue=cue, cue_start=cs, cue_end=ce, claim_start=cs, claim_end=end,
                   speaker=spk, side="prep")


def _appositive_end(ptext, rb, se, need_comma=False):
    """End of ", a Kremlin aide," / "who ..." after a speaker phrase (clause boundary)."""
    look = r"(?=\s*,)" if need_comma else r"(?=\s*[,.;:]|\s*$)"
    m = re.match(r"\s*,\s*(?:(?:the|a|an|his|her|who|which|its)\b[^,.;:“”\"]{0,90}|"
                 r"[A-Z][\w’'.-]*(?:\s+[\w’'.-]+){0,6})" + look, ptext[rb:se])
    end = rb + m.end() if m else rb
    madj = _ADJUNCT_AFTER_CUE.match(ptext, end, se)
    if madj and madj.end() > end and ptext[end:madj.end()].strip() != "":
        end = madj.end()
    return end


def _hyphen_role(w: str) -> bool:
    """ "ex-spy", "ex-head", "vice-president": a role word behind a hyphenated prefix."""
    if "-" not in w:
        return False
    last = w.rsplit("-", 1)[1]
    return last in _ROLE_NOUNS or last in _MODIFIERS


def _scan_subject(ptext, lo, hi):
    """Span of the speaker phrase that ends at ``hi`` (reading leftwards, stopping at ``lo``)."""
    # the match objects of the tokens (offsets in ptext[lo:hi]); the reading below looks at
    # a few of the last ones only
    toks = list(_WORD.finditer(ptext[lo:hi]))
    i = len(toks) - 1
    start = hi
    n = 0
    pron = False
    while i >= 0 and n < 12:
        s, w = toks[i].start() + lo, toks[i].group()
        wl = w.lower().rstrip(".")
        if n == 0 and wl in _SUBJECT_PRONOUNS:
            start, pron = s, True
            break
        if n == 0 and wl in {"latter", "former"} and i > 0 and \
                toks[i - 1].group().lower() == "the":
            start = toks[i - 1].start() + lo
            break
        if not _WORD_CHAR.match(w):
            if w == "." and i > 0 and len(toks[i - 1].group()) <= 2 and \
                    toks[i - 1].group()[:1].isupper():
                i -= 1          # "U. S." abbreviation pieces
                continue
            if w in "-‑" and n > 0:
                i -= 1
                continue
            break
        if wl in _POST_PREPS and n > 0 and i > 0 and (
                _POSSESSIVE_S.sub("", toks[i - 1].group().lower()) in _ROLE_OR_PP_HOST):
            start = s
            n += 1
            i -= 1
            continue
        if w[0].isupper() or w[0].isdigit() and n > 0:
            if n > 0 and wl in _CAP_FUNCTION and wl not in {"the", "mr", "ms", "mrs", "dr"}:
                break
            if n == 0 and wl in _CAP_FUNCTION_NOT_THE and wl not in _TITLE_WORDS:
                break
        elif wl in _BOUNDARY_WORDS and wl not in _MODIFIERS:
            break
        elif not (wl in _ROLE_NOUNS or wl in _MODIFIERS
                  or _POSSESSIVE_S.sub("", wl) in _ROLE_OR_MODIFIER
                  or wl in _ANON_HEADS or _hyphen_role(wl)
                  or wl in {"his", "her", "their", "its"}):
            # "a diplomat at the Nato meeting", "analysts in the region": a PP after a role noun
            jump = None
            for j in range(i - 1, max(-1, i - 5), -1):
                wj = toks[j].group().lower()
                if not _WORD_CHAR.match(wj):
                    break
                if wj in _POST_PREPS and j > 0 and \
                        _POSSESSIVE_S.sub("", toks[j - 1].group().lower()) in _ROLE_OR_PP_HOST:
                    jump = j
                    break
            if jump is None or n > 3:
                break
            start = toks[jump].start() + lo
            n += i - jump + 1
            i = jump - 1
            continue
        start = s
        n += 1
        i -= 1
    if pron:
        return start, toks[len(toks) - 1].end() + lo if toks else hi
    # drop leading determiners/function words that are not part of a name
    while start < hi:
        m = _WORD.match(ptext, start)
        if not m:
            break
        w = m.group(0).lower()
        if w in {"of", "for", "with", "that", "this", "these", "those"}:
            start = m.end()
            while start < hi and ptext[start].isspace():
                start += 1
            continue
        break
    end = hi
    while end > start and ptext[end - 1].isspace():
        end -= 1
    if end <= start:
        return hi, hi
    # a phrase of only modifiers ("the", "senior") is no speaker
    words = [w.lower() for w in _PHRASE_WORD.findall(ptext[start:end])]
    if all(w in _MODIFIERS and w not in _ROLE_NOUNS and not w[:1].isupper() for w in words) and \
            not any(t[:1].isupper() for t in _PHRASE_WORD.findall(ptext[start:end])):
        return hi, hi
    return start, end


def _scan_subject_right(ptext, lo, hi, allow_lower=False):
    """Speaker phrase that starts right after a cue ("said Yuri Ushakov", "according to him")."""
    m = _LEADING_BLANKS.match(ptext[lo:hi])
    pos = lo + m.end()
    toks = [(x.start() + pos, x.end() + pos, x.group(0)) for x in _WORD.finditer(ptext[pos:hi])]
    end = pos
    n = 0
    for s, e, w in toks:
        wl = w.lower().rstrip(".")
        base = _POSSESSIVE_S.sub("", wl)
        if n == 0 and wl in _OBJECT_PRONOUNS:
            return s, e
        if not _WORD_CHAR.match(w):
            if w in "-‑." and n > 0:
                continue
            break
        if w[0].isupper():
            pass
        elif wl in _ROLE_NOUNS or wl in _MODIFIERS or base in _ROLE_NOUNS or \
                wl in _ANON_HEADS or _hyphen_role(wl) or \
                (allow_lower and wl in {"from", "by", "in", "at", "and", "close", "to",
                                        "familiar", "with", "on"} and n > 0):
            if wl in {"that", "this"}:
                break
        else:
            break
        end = e
        n += 1
        if n >= 12:
            break
    # do not end on a function word
    while True:
        mm = _LAST_WORD_AT_END.search(ptext[pos:end])
        if mm and mm.group(1).lower() in {"from", "by", "in", "at", "and", "to", "with", "on",
                                          "the", "a", "an", "of", "for"}:
            end = pos + mm.start()
        else:
            break
    return (pos, end) if end > pos else (hi, hi)


def _coordinated_subject(ctx, ptext, pstart, ss, cs):
    """Subject of "X was upbeat and told reporters ...": the NP opening the clause that the
    coordinated verb belongs to (after the last ", but" / ";" / sentence start)."""
    text = ptext[ss:cs]
    bounds = [m.end() for m in re.finditer(
        r"(?:[;:]|,\s*(?:but|and|while|whereas|yet)\b|\b(?:but|while|whereas)\b)\s*", text)]
    for lo in reversed([0] + bounds):
        mi = _INTRO_PREFIX.match(ptext, ss + lo, cs)
        pos = mi.end() if mi else ss + lo
        a, b = _scan_subject_right(ptext, pos, cs)
        if a < b:
            spk = _resolve_phrase(ctx, ptext, pstart, a, b)
            if spk is not None and spk.get("_pron") is None:
                return spk
    return None


def _sentence_subject(ctx, ptext, pstart, ss, cs):
    """Speaker of a participle clause with no earlier clause: the sentence's subject."""
    mintro = _INTRO_PREFIX.match(ptext, ss, cs)
    pos = mintro.end() if mintro else ss
    a, b = _scan_subject_right(ptext, pos, cs)
    if a >= b:
        return None
    spk = _resolve_phrase(ctx, ptext, pstart, a, b)
    # "His French counterpart, Emmanuel Macron, struck a note, telling ...": the name
    mname = _COMMA_NAME_COMMA.match(ptext[b:cs])
    if mname and (spk is None or spk.get("attribution") in ("unattributed", "title")
                  or spk.get("speaker_kind") != "person"):
        named = _resolve_phrase(ctx, ptext, pstart, b + mname.start(1), b + mname.end(1))
        if named is not None and named.get("speaker_kind") in ("person", "unknown"):
            return named
    return spk


_INTRO_PREFIX = re.compile(
    r"\s*(?:[^\w\s“\"‘«„(\[]+\s*|\d{1,2}[:.]\d{2}\s*(?:GMT|UTC|CET|CEST|EST|EDT|ET|BST|MSK|"
    r"[ap]\.?m\.?)?\s*[—–:|-]+\s*|(?:[A-Z][A-Z.’' -]{2,}(?:\([^)]*\))?\s*[—–-]+\s*)|(?:(?:On|In|At|During|After|"
    r"Before|Speaking|Meanwhile|However|Separately|Earlier|Later|Still|But|And|Yet|Asked|"
    r"Writing|Responding|Answering|Addressing|Following|When|While|As|Despite|Since|Although|"
    r"Though|Once|If|Ahead of|Last|This|Separately|Elsewhere|Instead|Now|Then|Also|By|Within|"
    r"Until|Throughout|Over|Late|Early|Overnight|Hours|Days|Minutes|Shortly|Under|Amid|"
    r"Against|Like|Unlike|Besides|Beyond|Closer|Back|Earlier|Today|Yesterday|Tonight)\b[^,]{0,160},"
    r"\s*))*")


def _content_span(ptext, cl, seg_start, seg_end, ss, se, quotes):
    """(start, end, kind) of the reported content of one clause, paragraph coordinates."""
    def quote_starting_at(pos):
        m = _BLANK_PUNCT.match(ptext[pos:])
        p = pos + m.end()
        for q in quotes:
            if q.open == p:
                return q
        return None

    def quote_ending_before(pos, lo):
        best = None
        for q in quotes:
            if lo - 400 <= q.open and q.outer_end <= pos and q.outer_end > lo - 1:
                between = ptext[q.outer_end:pos]
                ok = _word_count(between) == 0 or _THAT_IS_WHAT.match(between)
                if ok and (best is None or q.outer_end > best.outer_end):
                    best = q
        return best

    def left_content():
        q = quote_ending_before(cl.claim_start, seg_start)
        if q is not None and q.open < cl.claim_start:
            head = ptext[seg_start:q.open]
            head_clean = _strip_intro(head)
            if q.open <= seg_start or _word_count(head_clean) <= 2:
                return q.inner_start, q.end, "direct", q
            return seg_start + (len(head) - len(head.lstrip())), q.end, "indirect", None
        text = ptext[seg_start:cl.claim_start]
        a = seg_start
        md = _DATELINE.match(text)
        if md:
            a += md.end()
        b = cl.claim_start
        seg = ptext[a:b]
        b = a + len(seg) - _LEFT_TAIL_REV.match(seg[::-1]).end()
        if not _has_words(ptext[a:b], 2):
            return None
        qin = [q for q in quotes if a <= q.open and q.outer_end <= b + 1]
        if len(qin) == 1 and _word_count(ptext[a:qin[0].open]) == 0:
            return qin[0].inner_start, qin[0].end, "direct", qin[0]
        return a, b, "indirect", None

    def right_content(pos):
        # skip the object of "told reporters", "warned Europe", then adjuncts and "that"
        if cl.lemma in _TELL_LIKE:
            mthat = _BEFORE_THAT.match(ptext[pos:seg_end])
            if mthat and _word_count(ptext[pos:pos + mthat.end()]) <= 9:
                pos += mthat.end()
            else:
                mo = _TELL_OBJECT.match(ptext, pos, seg_end)
                if mo and cl.lemma == "tell":
                    pos = mo.end()
        madj = _ADJUNCT_AFTER_CUE.match(ptext, pos, seg_end)
        if madj:
            pos = madj.end()
        mthat = _THAT_AFTER.match(ptext[pos:seg_end])
        if mthat:
            pos += mthat.end()
        q = quote_starting_at(pos)
        if q is not None:
            after = ptext[q.outer_end:max(seg_end, q.outer_end)]
            if q.outer_end >= seg_end or not _has_words(after) or _COMMA_STOP_START.match(after):
                return q.inner_start, q.end, "direct", q
        m = _BLANK_PUNCT.match(ptext[pos:seg_end])
        a = pos + m.end()
        b = seg_end
        seg = ptext[a:b]
        b = a + len(seg) - _RIGHT_TAIL_REV.match(seg[::-1]).end()
        if not _has_words(ptext[a:b]):
            return None
        return a, b, "indirect", None

    def right_empty(pos):
        if cl.lemma in _TELL_LIKE:
            mthat = _UP_TO_THAT.match(ptext[pos:seg_end])
            if mthat and _word_count(mthat.group(0)) <= 8:
                pos += mthat.end()
            elif cl.lemma == "tell":
                mo = _TELL_OBJECT.match(ptext, pos, seg_end)
                if mo:
                    pos = mo.end()
        rest = ptext[pos:seg_end]
        madj = _ADJUNCT_AFTER_CUE.match(rest)
        rest2 = rest[madj.end():] if madj else rest
        if _TRAILING_ADJUNCT.match(rest2) and re.search(r"[,—–]\s*$", ptext[seg_start:
                                                                           cl.claim_start]):
            return True, rest2
        return not _has_words(rest2) or bool(_COMMA_DASH_PAREN_AFTER.match(rest2)), rest2

    side = cl.side
    if side == "right":
        r = right_content(cl.claim_end)
        return r[:3] if r else None
    if side == "prep":
        left = left_content() if _word_count(_strip_intro(ptext[seg_start:cl.claim_start])) >= 2 \
            else None
        if left is not None:
            return left[:3]
        r = right_content(cl.claim_end)
        return r[:3] if r else None
    if side == "left":
        lc = left_content()
        if lc is None:
            return None
        return _maybe_broken_quote(ptext, lc, cl, seg_end, quotes)
    # side "?": subject on the left of the cue
    head = ptext[seg_start:cl.claim_start]
    head_has_content = _has_words(_strip_intro(head), 2) or (
        quote_ending_before(cl.claim_start, seg_start) is not None)
    empty, rest2 = right_empty(cl.claim_end)
    if not head_has_content or (_AS_LIKE_END.search(head)
                                and re.match(r"\s*,\s*\w", ptext[cl.claim_end:seg_end])):
        # "As Ushakov said, the talks ..." / "the way Zelensky said, Ukraine will ..."
        r = right_content(cl.claim_end)
        if r is None and empty and _word_count(head) >= 2:
            lc = left_content()        # "In Moscow the talks ended, Ushakov said."
            return lc[:3] if lc else None
        return r[:3] if r else None
    if _COLON_START.match(rest2):
        r = right_content(cl.claim_end)       # "In the post, she wrote: …" (maybe next para)
        return r[:3] if r else None
    after_that = _THAT_OR_QUOTE_START.match(rest2)
    comma_before = _COMMA_DASH_END.search(head) and _has_words(_strip_intro(head), 3)
    if comma_before and not empty and (cl.lemma in _OBJECT_CUES or (
            _word_count(_strip_intro(head)) <= 5 and _word_count(rest2) >= 4 and not
            re.search(r"[”\"’»]\s*,?\s*$", head))):
        comma_before = False    # "Hours before the meeting, Putin accused Europe of ..."
    if not empty and not (comma_before and not after_that):
        # "Meanwhile, Ushakov said that ...": content on the right unless the left is a quote
        # "No compromise was found, Ushakov said after the talks": content on the left
        q = quote_ending_before(cl.claim_start, seg_start)
        if q is None or _word_count(ptext[q.outer_end:cl.claim_start]) > 0 and \
                not re.match(r"[\s,]*$", ptext[q.outer_end:cl.claim_start]):
            r = right_content(cl.claim_end)
            return r[:3] if r else None
    lc = left_content()
    if lc is None:
        r = right_content(cl.claim_end)
        return r[:3] if r else None
    res = _maybe_broken_quote(ptext, lc, cl, seg_end, quotes)
    if res[2] == "indirect" and lc[3] is None and _COMMA_END.search(head) and \
            _word_count(_strip_intro(head)) <= 8 and \
            re.match(r"\s*,\s*(?![\w\s]*\b(?:adding|saying|noting)\b)(?![a-z]+ing\b)[a-z]",
                     rest2 if empty else ""):
        # "The talks, Ushakov said, were useful": content on both sides
        madj = _ADJUNCT_AFTER_CUE.match(ptext, cl.claim_end, seg_end)
        mright = re.match(r"\s*,\s*", ptext[madj.end() if madj else cl.claim_end:seg_end])
        if mright:
            b = seg_end
            tail = re.search(r"[\s,;:.—–-]*$", ptext[lc[0]:b])
            return lc[0], lc[0] + tail.start(), "indirect"
    return res


def _maybe_broken_quote(ptext, lc, cl, seg_end, quotes):
    """“A,” he said, “B.” -> one statement spanning A..B."""
    a, b, kind, q1 = lc
    if q1 is not None:
        m = _UP_TO_QUOTE.match(ptext[cl.claim_end:cl.claim_end + 160])
        if not m or _word_count(m.group(0)) > 12 or re.search(
                r"\b(?:that|and|but|while|who|which)\b|,\s*[a-z]+ing\b", m.group(0)):
            return a, b, kind
        p = cl.claim_end + m.end()
        for q2 in quotes:
            if q2.open == p and q2 is not q1 and q2.family == q1.family and not q2.claimed:
                if m.group(1) != "," or _word_count(m.group(0)) > 8:
                    # “A,” he said. “B.” -- B belongs to the same clause when nothing
                    # attributes it again
                    tail = ptext[q2.outer_end:]
                    if not re.match(r"\s*(?:$|[“\"‘«„])", tail):
                        return a, b, kind
                q2.claimed = True
                cl.claim_end = q2.outer_end
                return a, q2.end, "direct"
    return a, b, kind


def _strip_intro(s: str) -> str:
    s2 = _DATELINE.sub("", s)
    m = _INTRO.match(s2)
    if m:
        return ""
    m = _INTRO_PREFIX.match(s2)
    return s2[m.end():] if m else s2


# ---- speakers

def _resolve_phrase(ctx, ptext, pstart, a, b, strict=False, prep=False):
    """Speaker dict for the phrase ptext[a:b], or None when it is not a speaker."""
    phrase = ptext[a:b].strip()
    low = phrase.lower()
    abs_a, abs_b = pstart + a, pstart + b
    out = {"speaker_start": abs_a, "speaker_end": abs_b}
    if low in _SPEAKER_PRONOUNS:
        if low in ("i", "we"):
            return {"_pron": low}
        return _resolve_pronoun(ctx, abs_a, low, out)
    ms = _mentions_within(ctx, abs_a - 1, abs_b + 1)
    words = _PHRASE_WORD.findall(phrase)
    if not words:
        return None
    # "Sources close to the delegation", "Analysts in Brussels": the head precedes the PP
    pp_cut = None
    for i in range(1, len(words)):
        if words[i].lower() in _PP_WORDS and \
                _POSSESSIVE_S.sub("", words[i - 1].lower()) in _ROLE_OR_ANON:
            pp_cut = i
            break
    if pp_cut is not None:
        words = words[:pp_cut]
        phrase = " ".join(words)
        low = phrase.lower()
    head = _POSSESSIVE_S.sub("", words[-1].lower().rstrip("."))
    if ms:
        last = ms[-1]
        trailing = ptext[last["end"] - pstart:b]
        lead = [w.lower() for w in _PHRASE_WORD.findall(ptext[a:last["start"] - pstart])]
        if strict and (last.get("kind") not in ("person", "org") or any(
                w not in _TITLE_WORDS and w not in _MODIFIERS and w not in _ROLE_NOUNS
                and w not in _NATIONALITY for w in lead)):
            return None
        if (not _has_words(trailing) or _POSSESSIVE_TAIL.fullmatch(trailing)) and (
                pp_cut is None or last.get("kind") == "person"):
            kind = str(last.get("kind") or "unknown")
            if kind not in ("person", "org", "country"):
                kind = "unknown"
            how = str(last.get("method") or "")
            return out | {"speaker": str(last["actor"]), "speaker_start": int(last["start"]),
                          "speaker_end": int(last["end"]), "speaker_kind": kind,
                          "affiliation": last.get("affiliation"),
                          "is_official": _bool_or_none(last.get("is_official")),
                          "attribution": {"title": "title", "pronoun": "pronoun"}.get(
                              how, "explicit")}
    if strict:
        return None
    first = words[0].lower()
    indefinite = first in {"a", "an", "some", "several", "one", "two", "three", "four", "many",
                           "other", "unnamed", "anonymous", "multiple", "various", "most",
                           "few", "senior", "top"} and not phrase[:1].isupper() or \
        first in {"a", "an", "some", "several", "one", "two", "three", "many", "other",
                  "unnamed", "anonymous", "multiple", "various"}
    desc = _DESC_ARTICLE.sub("", phrase)
    if indefinite and first in {"a", "an"} and head in _ROLE_NOUNS - _ANON_HEADS - _GENERIC_HEADS \
            and head not in _INSTITUTION_HEADS:
        # "a top Kremlin aide said …" in an article that names the aide: that person, when
        # the description is specific enough to pick them (a modifier or nationality agrees)
        person = _resolve_role(ctx, head, words, ms, abs_a, min_score=1)
        if person is not None:
            return out | {"speaker": person.actor, "speaker_kind": "person",
                          "affiliation": person.affiliation,
                          "is_official": _bool_or_none(person.is_official)
                          if person.is_official is not None else head in _OFFICIAL_HEADS,
                          "attribution": "title"}
    if head in _ANON_HEADS or (indefinite and (head in _ROLE_NOUNS)) or (
            prep and re.search(r"\b(?:sources?|people|person|officials?)\b", low) and
            not phrase[:1].isupper() and head not in _INSTITUTION_HEADS):
        return out | {"speaker": desc, "speaker_kind": "anonymous",
                      "affiliation": _affiliation_of(ctx, ms, words),
                      "is_official": head in _OFFICIAL_HEADS, "attribution": "unattributed"}
    if head in {"statement", "readout", "website", "account", "channel", "post"} and ms:
        # "the Kremlin's readout said": the institution speaks
        return out | _mention_speaker(ms[-1], "explicit") | {
            "speaker_start": int(ms[-1]["start"]), "speaker_end": int(ms[-1]["end"])}
    if head in {"alliance", "bloc", "union", "organisation", "organization", "coalition"} and \
            re.fullmatch(r"(?:the|its)\s+\w+", phrase, re.IGNORECASE):
        # "the alliance said" -> the organisation the article named last
        orgs = [m for m in ctx.mentions if m["start"] < abs_a and m.get("kind") == "org"]
        if orgs:
            return out | _mention_speaker(orgs[-1], "title")
    if head in _INSTITUTION_HEADS and not words[-1][:1].isupper() or head in {"kremlin"}:
        name = _clean_name(desc)
        if re.match(r"(?:the|its|their)\s", phrase, re.IGNORECASE) and len(words) <= 3:
            name = _institution_fullest(ctx, name, abs_a)
        if name.lower() == "kremlin":
            name = "Kremlin"
        return out | {"speaker": name, "speaker_kind": "org",
                      "affiliation": _affiliation_of(ctx, ms, words),
                      "is_official": head not in {"statement", "readout", "press", "team"},
                      "attribution": "explicit"}
    if head in _ROLE_NOUNS and (not words[-1][:1].isupper() or (
            head in _OFFICIAL_HEADS | {"chief", "head"} and len(words) <= 4)):
        person = _resolve_role(ctx, head, words, ms, abs_a)
        if person is not None:
            return out | {"speaker": person.actor, "speaker_kind": "person",
                          "affiliation": person.affiliation,
                          "is_official": _bool_or_none(person.is_official)
                          if person.is_official is not None else head in _OFFICIAL_HEADS,
                          "attribution": "title"}
        # a role the article never tied to a name is an unnamed source
        return out | {"speaker": desc, "speaker_kind": "anonymous",
                      "affiliation": _affiliation_of(ctx, ms, words),
                      "is_official": head in _OFFICIAL_HEADS, "attribution": "unattributed"}
    if words[-1][:1].isupper():
        # a name the actor codebook does not know
        toks = list(re.finditer(r"[\w’'.-]+", phrase))
        i = len(toks) - 1
        while i >= 0 and toks[i].group(0)[:1].isupper() and \
                toks[i].group(0).lower().rstrip(".") not in _CAP_FUNCTION - {"mr", "ms", "mrs",
                                                                             "dr"}:
            i -= 1
        run = toks[i + 1:]
        if run and run[-1].group(0).lower() in _INSTITUTION_HEADS | {"staff"}:
            # "Ukraine's General Staff", "the Foreign Ministry": an institution, keep it whole
            name = _clean_name(re.sub(r"^(?:the|a|an)\s+", "", phrase, flags=re.IGNORECASE))
            return out | {"speaker": name, "speaker_kind": "org",
                          "affiliation": _affiliation_of(ctx, ms, words), "is_official": True,
                          "attribution": "explicit"}
        while run and run[0].group(0).lower() in _TITLE_WORDS and len(run) > 1:
            run = run[1:]
        if not run:
            return None
        name = _clean_name(phrase[run[0].start():])
        if not name or name.lower() in _CAP_FUNCTION:
            return None
        full = _fullest_name(ctx, name, pstart, ptext)
        kind = "person" if len(full.split()) >= 2 and not _looks_org(full) else (
            "org" if _looks_org(full) else "unknown")
        return out | {"speaker": full, "speaker_kind": kind,
                      "speaker_start": pstart + a + run[0].start(),
                      "affiliation": None, "is_official": None, "attribution": "explicit"}
    return None


def _institution_fullest(ctx, name, pos):
    """ "the ministry" -> "France's foreign ministry" when the article named it before."""
    text = getattr(ctx, "full_text", "") or ""
    # full_text is the sentences joined; approximate positions are good enough here
    head = name.split()[-1]
    best = name
    for m in re.finditer(r"((?:[A-Z][\w’'-]*[ ]+)(?:[\w’'-]+[ ]+){0,2})" + re.escape(head) + r"\b",
                         text, re.IGNORECASE):
        cand = (m.group(1) + m.group(0)[len(m.group(1)):]).strip()
        cand = re.sub(r"^(?:the|a|an)\s+", "", cand, flags=re.IGNORECASE)
        if not cand[:1].isupper() or _word_count(cand) > 5:
            continue
        if re.match(r"(?:In|On|At|The|A|An|But|And|For|From|With)\b", cand):
            continue
        if len(cand) > len(best):
            best = cand
    return best


def _looks_org(name: str) -> bool:
    return bool(_ORG_WORD.search(name))


def _bool_or_none(v):
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return None
    return bool(v)


def _affiliation_of(ctx, ms, words):
    for m in ms:
        if m.get("kind") == "country":
            return m.get("actor")
        if isinstance(m.get("affiliation"), str) and m.get("affiliation"):
            return m.get("affiliation")
    for w in words:
        aff = _NATIONALITY.get(_POSSESSIVE_S.sub("", w.lower()))
        if aff:
            return aff
    return None


def _fullest_name(ctx, name, pstart, ptext):
    """The fullest form of a name the article uses ("Ushakov" -> "Yuri Ushakov")."""
    surname = name.split()[-1]
    best = name
    text = ctx.full_text if getattr(ctx, "full_text", None) else ptext
    for m in re.finditer(r"([A-Z][\w’'-]+\s+(?:[A-Z]\.\s+)?)" + re.escape(surname) + r"\b", text):
        cand = (m.group(1) + surname).strip()
        toks = cand.split()
        while toks and toks[0].lower().rstrip(".") in _TITLE_WORDS | _CAP_FUNCTION:
            toks = toks[1:]
        cand = " ".join(toks)
        if len(cand) > len(best) and cand.endswith(surname):
            best = cand
    return best


_STRICT_MODS = {"former", "ex", "deputy", "vice", "acting", "outgoing", "incoming", "spy",
                "military", "economic", "investment", "defence", "defense", "finance",
                "interior", "justice", "energy", "trade", "health", "intelligence"}


_GENERIC_HEADS = {"official", "source", "person", "diplomat", "officer", "member", "insider",
                  "representative", "observer", "analyst", "expert", "critic", "lawmaker",
                  "politician", "resident", "witness", "participant", "delegate", "people",
                  "staff", "deputy", "host", "correspondent", "side", "team"}


_WHOLE_WORD_REGEX: dict = {}   # role word -> re.compile(r"\b" + re.escape(word) + r"\b")


def _whole_word_regex(word: str) -> re.Pattern:
    rx = _WHOLE_WORD_REGEX.get(word)
    if rx is None:
        if len(_WHOLE_WORD_REGEX) > 5000:    # keyed by words of the texts: keep it bounded
            _WHOLE_WORD_REGEX.clear()
        rx = _WHOLE_WORD_REGEX[word] = re.compile(r"\b" + re.escape(word) + r"\b")
    return rx


def _resolve_role(ctx, head, words, ms, abs_pos, min_score=None):
    _fill_descriptors(ctx)
    syn = _ROLE_SYNONYMS.get(head, {head})
    mods = {_POSSESSIVE_S.sub("", w.lower()) for w in words[:-1]}
    cands = []
    for p in ctx.persons:
        if p.kind != "person":
            continue
        # a match of r"\bSY\b" holds sy itself, so the substring test only skips
        # descriptors the regex cannot match
        if any(sy in d and _whole_word_regex(sy).search(d) for sy in syn
               for d in p.descriptors):
            cands.append(p)
    if not cands:
        return None
    nat = {_NATIONALITY[m] for m in mods if m in _NATIONALITY}
    poss = {str(m.get("actor")).lower() for m in ms} | {w.lower() for w in mods}

    def score(p):
        s = 0
        if nat and (p.affiliation in nat or any(n.lower() in " ".join(p.descriptors)
                                                  for n in nat)):
            s += 2
        elif nat and p.affiliation and p.affiliation not in nat:
            s -= 3
        d = " ".join(p.descriptors)
        s += sum(1 for w in mods if len(w) > 3 and w in d)
        if any(x in d for x in poss if len(x) > 3):
            s += 1
        # a qualifying word the article never used for this person ("former", "ex-spy")
        # makes it another person
        for w in mods:
            if (w in _STRICT_MODS or w.startswith("ex-")) and w not in d and \
                    not (w == "former" and "ex-" in d):
                s -= 4
        return s

    best = max(score(p) for p in cands)
    top = [p for p in cands if score(p) == best]
    if best < 0 or (min_score is not None and best < min_score):
        return None
    before = [p for p in top if p.start < abs_pos]
    if before:
        return max(before, key=lambda p: p.start)
    return min(top, key=lambda p: p.start)


def _resolve_pronoun(ctx, pos, pron, out):
    out = dict(out)
    prior = sorted([st for st in ctx.statements if st["start"] < pos] +
                   [st for st in getattr(ctx, "pending", []) if st["start"] < pos],
                   key=lambda st: st["start"])
    if pron in ("it",):
        for st in reversed(prior):
            if st["start"] < pos and st.get("speaker_kind") in ("org", "country"):
                return out | _copy_speaker(st, "pronoun")
        orgs = [m for m in ctx.mentions if m["start"] < pos and m.get("kind") in ("org", "country")]
        if orgs:
            m = orgs[-1]
            return out | _mention_speaker(m, "pronoun")
        return None
    if pron in ("they", "them"):
        for st in reversed(prior):
            if pos - st["start"] < 800:
                if st.get("speaker_kind") in ("anonymous", "org", "country"):
                    return out | _copy_speaker(st, "pronoun" if st.get("attribution") !=
                                               "unattributed" else "unattributed")
                break
        return out | {"speaker": None, "speaker_kind": "anonymous", "affiliation": None,
                      "is_official": None, "attribution": "unattributed"}
    gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(pron)

    def ok(actor):
        g = ctx.genders.get(actor)
        return gender is None or g is None or g == gender

    persons = [p for p in ctx.persons if p.kind == "person" and p.start < pos and ok(p.actor)]
    if pron == "the latter":
        return out | _person_speaker(persons[-1], "pronoun") if persons else None
    if pron == "the former":
        seen = []
        for p in reversed(persons):
            if p.actor not in seen:
                seen.append(p.actor)
            if len(seen) == 2:
                return out | _person_speaker(p, "pronoun")
        return None
    # 1. a person named earlier in the same sentence (the first one: the subject)
    cur = _sent_of(ctx, pos)
    ms_sent = [m for m in ctx.mentions if m["start"] < pos and m.get("sentence_id") is not None
               and cur == m.get("sentence_id") and m.get("kind") == "person"
               and ok(m["actor"]) and _is_sentence_subject(ctx, m)]
    if ms_sent:
        return out | _mention_speaker(ms_sent[0], "pronoun")
    # 2. the previous statement's speaker, if it is a person and close by
    last_st = prior[-1] if prior else None
    # 3. the first person of the nearest preceding sentence that names one
    prev_person = None
    persons = [p for p in persons if cur is None or _sent_of(ctx, p.start) != cur]
    if persons:
        sid = persons[-1]
        sid_sent = _sent_of(ctx, sid.start)
        same = [p for p in persons if _sent_of(ctx, p.start) == sid_sent]
        prev_person = same[0] if same else sid
    if last_st is not None and last_st.get("speaker_kind") == "person" and \
            last_st.get("speaker") and ok(last_st.get("speaker")):
        st_pos = last_st.get("speaker_start") or last_st["start"]
        if prev_person is None or prev_person.start <= st_pos + 5 or \
                _sent_of(ctx, prev_person.start) == _sent_of(ctx, st_pos):
            return out | _copy_speaker(last_st, "pronoun")
    if prev_person is not None:
        return out | _person_speaker(prev_person, "pronoun")
    if last_st is not None and last_st.get("speaker_kind") == "person" and last_st.get("speaker"):
        return out | _copy_speaker(last_st, "pronoun")
    return out | {"speaker": None, "speaker_kind": "unknown", "affiliation": None,
                  "is_official": None, "attribution": "pronoun"}


def _is_sentence_subject(ctx, m):
    """The mention opens its sentence (after an introductory phrase)."""
    for s, e, sid in getattr(ctx, "sent_spans", []):
        if s <= m["start"] < e:
            text = ctx.text_at(s, e)
            if text is None:
                return False
            mi = _INTRO_PREFIX.match(text)
            if mi and m["start"] - s < mi.end():
                return False
            lead = text[mi.end() if mi else 0:m["start"] - s]
            return _word_count(re.sub(r"\b(?:the|a|an)\b", "", lead, flags=re.IGNORECASE)) <= 3
    return False


def _mentions_from(ctx, lo):
    """The article's mentions (in order) whose start is >= lo."""
    if ctx.mention_starts is None:
        return [m for m in ctx.mentions if m["start"] >= lo]
    return ctx.mentions[bisect_left(ctx.mention_starts, lo):]


def _mentions_within(ctx, lo, hi):
    """``[m for m in _mentions_from(ctx, lo) if m["end"] <= hi]``."""
    if not getattr(ctx, "mention_ends_ok", False):
        return [m for m in _mentions_from(ctx, lo) if m["end"] <= hi]
    # the mentions are in start order and none ends before it starts, so the ones that
    # start after hi also end after it: only those starting in [lo, hi] are read
    starts = ctx.mention_starts
    return [m for m in ctx.mentions[bisect_left(starts, lo):bisect_right(starts, hi)]
            if m["end"] <= hi]


def _sent_of(ctx, pos):
    spans = getattr(ctx, "sent_spans", None)
    if not spans:
        return None
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        s, e, sid = spans[mid]
        if pos < s:
            hi = mid - 1
        elif pos >= e:
            lo = mid + 1
        else:
            return sid
    return None


def _copy_speaker(st, attribution):
    return {"speaker": st.get("speaker"), "speaker_kind": st.get("speaker_kind"),
            "affiliation": st.get("affiliation"), "is_official": st.get("is_official"),
            "attribution": attribution}


def _mention_speaker(m, attribution):
    kind = str(m.get("kind") or "unknown")
    return {"speaker": str(m["actor"]), "speaker_kind": kind if kind in
            ("person", "org", "country") else "unknown", "affiliation": m.get("affiliation"),
            "is_official": _bool_or_none(m.get("is_official")), "attribution": attribution}


def _person_speaker(p, attribution):
    return {"speaker": p.actor, "speaker_kind": "person", "affiliation": p.affiliation,
            "is_official": _bool_or_none(p.is_official), "attribution": attribution}
