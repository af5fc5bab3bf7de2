"""Issue coverage: the issue codebook, issue hits with evidence, coverage per source,
keyword-in-context and distinctive terms (keyness).

    import analystkit as ak
    corpus = ak.load_corpus("seeds/")
    hits = ak.count_issues(corpus.sentences)          # one row per issue hit
    cov = ak.coverage(corpus, by="outlet")            # one row per (outlet, issue), zeros included
    ak.kwic(corpus, "security guarantee*")            # one row per match, with context
    ak.keyness(corpus, by="outlet", target="NENC Media Group")

Codebook pattern syntax (quanteda-style, extended; case-insensitive, word boundaries):

- ``territor*``          ``*`` inside a word = any word characters (``?`` = exactly one)
- ``security guarantee*`` words separated by a space match across any run of whitespace
                         and hyphen variants (``-``, U+2010, U+2011, U+2012, en/em dash)
- ``cease-fire``         a hyphen inside a term is optional: matches "ceasefire",
                         "cease-fire", "cease fire", "cease‑fire"
- ``Kyiv's``             an apostrophe matches ' ’ ‘ ʼ `
- ``join* ~3 alliance``  ``~N`` = up to N arbitrary words in between (a NEAR rule, in this
                         order; punctuation next to the words is allowed: "Ukraine's bid
                         to join the alliance", "land, NATO")
- ``withdraw* from * Donetsk``  a standalone ``*`` = exactly one arbitrary word
- ``(cede*|ceding|give up) land``  ``( | )`` = alternatives (each may be a phrase)
- ``=US``                a leading ``=`` makes the term (or one alternative) case-sensitive
- ``#-point``            ``#`` = a number (digits, with , or . inside)

Matching never loops over terms per sentence: each issue's terms are compiled once into one
alternation regex (with named groups telling which term matched) whose matches over the whole
corpus (all sentences joined into one string with a NUL separator that no pattern can cross)
are the hits. The corpus is not scanned with it, though: its words are indexed once, and each
branch of the regex is only tried where its words occur, in the order a scan would try them,
which gives exactly the matches of the scan (see ``_find_anchored``). Exclusions ("false friends", e.g. ``uncharted territory``, ``land mine*``) are compiled the
same way; a hit overlapping an exclusion match in the same sentence is dropped, and so is a
hit inside a URL or e-mail address. The scan runs on a folded copy of the text (lower case,
whitespace/dash/apostrophe variants unified, same length so offsets hold); ``=`` terms are
re-checked on the original text. See ``_union`` for how the regex is laid out for speed.
"""
from __future__ import annotations

import bisect
import functools
import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._chars import char_mapper
from ._data import read_data_text

__all__ = [
    "CodebookError",
    "IssueCodebook",
    "article_issues",
    "compile_pattern",
    "count_issues",
    "coverage",
    "issue_evidence",
    "keyness",
    "kwic",
    "load_issues",
]

DEFAULT_ISSUES = (
    "territory",
    "nato_membership",
    "security_guarantees",
    "ceasefire",
    "sanctions",
    "peace_plan",
    "europe_role",
    "humanitarian",
    "energy_economy",
    "military_escalation",
)

ISSUE_HIT_COLUMNS = ["article_id", "sentence_id", "issue", "term", "start", "end"]
COVERAGE_MEASURES = ["hits", "articles", "sentences", "share_of_sentences", "per_1k_tokens",
                     "share_of_articles"]

_SEP_CHARS = r"\s\-\u2010-\u2015\u2212"
_SEP = rf"[{_SEP_CHARS}]+"          # between the words of a phrase
_SEP_OPT = rf"[{_SEP_CHARS}]*"      # a hyphen written inside a term
# one arbitrary word (never crosses a sentence). Every open-ended piece is bounded so that a
# long run of junk without spaces ("the,the,the,...") cannot make the scan quadratic.
_GAPWORD = rf"[^{_SEP_CHARS}\x00]{{1,40}}"
_APOS = "['\u2019\u2018\u02bc`\u00b4]"
# the scan runs on a lower-cased copy of the text in which every whitespace character is a
# space, every hyphen/dash variant "-" and every apostrophe variant "'" (same length, so the
# offsets hold); the scan regexes can then use small character classes (fast to compile)
_FOLD = {c: " " for c in range(0x3001) if chr(c).isspace() and c != 0x20}
_FOLD.update({c: "-" for c in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212)})
_FOLD.update({c: "'" for c in (0x2019, 0x2018, 0x02BC, 0x60, 0xB4)})
_FOLD[0x130] = "i"  # "İ".lower() has two characters
_L = {  # the same pieces for the folded text
    "SEP": "[ -]{1,16}", "SEP_OPT": "[ -]{0,3}", "GAPWORD": "[^ \x00-]{1,40}", "APOS": "'",
    "DOT": r"\. ?", "TAIL": "[^ \x00-]{0,4}", "LEAD": "[^\\w \x00-]{0,4}",
}
_X = {
    "SEP": _SEP, "SEP_OPT": _SEP_OPT, "GAPWORD": _GAPWORD, "APOS": _APOS, "DOT": r"\.\s?",
    "TAIL": rf"[^{_SEP_CHARS}\x00]{{0,4}}", "LEAD": rf"[^\w{_SEP_CHARS}\x00]{{0,4}}",
}
_NUL = "\x00"
_WORD_CHAR = re.compile(r"\w")


class CodebookError(ValueError):
    """A malformed issue codebook; the message names the file, the issue and the line."""


# --------------------------------------------------------------------------------------------
# pattern compiler
# --------------------------------------------------------------------------------------------

_PARENS_OR_SPACE = re.compile(r"[()]|\s")
_PARENS = re.compile(r"[()]")


def _split_tokens(term: str) -> list[str]:
    """Split a term on whitespace, keeping ``( ... )`` groups together."""
    if "(" not in term and ")" not in term:
        return term.split()
    tokens, depth, last = [], 0, 0
    for m in _PARENS_OR_SPACE.finditer(term):
        ch = m.group()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("unbalanced ')'")
        elif depth == 0:
            if m.start() > last:
                tokens.append(term[last:m.start()])
            last = m.end()
    if depth != 0:
        raise ValueError("unbalanced '('")
    if len(term) > last:
        tokens.append(term[last:])
    return tokens


def _closing(text: str, i: int) -> int:
    """Index of the ')' matching the '(' at ``text[i]``."""
    depth = 0
    for m in _PARENS.finditer(text, i):
        depth += 1 if m.group() == "(" else -1
        if depth == 0:
            return m.start()
    raise ValueError("unbalanced '('")


def _split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses."""
    if "(" not in text and ")" not in text:
        return text.split(sep)
    parts, depth, last = [], 0, 0
    for m in re.finditer(rf"[(){re.escape(sep)}]", text):
        ch = m.group()
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            parts.append(text[last:m.start()])
            last = m.end()
    parts.append(text[last:])
    return parts


_SIMPLE_WORD = re.compile(r"[^\W_]+\*?")


def _trie_regex(words: list[str], low: bool = False) -> str:
    """Plain words (optionally ending in ``*``) -> one prefix-factored regex.

    ``push|pushes|pushed`` -> ``push(?:e(?:s|d))?``: at a word start the engine compares one
    character per level instead of trying every word in turn.
    """
    trie: dict = {}
    for w in words:
        node = trie
        star = w.endswith("*")
        for ch in (w.rstrip("*").lower() if low else w.rstrip("*")):
            node = node.setdefault(ch, {})
        node["*" if star else ""] = True

    def build(node) -> str:
        chain = []  # a run of nodes with one child each: their letters in a row
        while len(node) == 1 and "*" not in node and "" not in node:
            (ch, node), = node.items()
            chain.append(re.escape(ch))
        prefix = "".join(chain)
        if "*" in node:
            return prefix + r"\w*"  # a wildcard swallows every longer word under this node
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return prefix
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return f"{prefix}(?:{body})?"
        return prefix + body

    return build(trie)


def _alternation(alts, low: bool = False) -> str:
    return _alternation_cached(tuple(alts), low)


@functools.lru_cache(maxsize=16384)
def _alternation_cached(alts: tuple, low: bool = False) -> str:
    """``(a|b c|d*)``: plain words go into a trie, phrases and special patterns stay as is.
    An empty alternative (only produced internally) makes the group optional."""
    simple = [a for a in alts if _SIMPLE_WORD.fullmatch(a)]
    other = [a for a in alts if a and not _SIMPLE_WORD.fullmatch(a)]
    pieces = [_phrase_regex(a, low) for a in other]
    if len(simple) == 1:
        pieces.append(_phrase_regex(simple[0], low))
    elif simple:
        pieces.append(_trie_regex(simple, low))
    return "(?:" + "|".join(pieces) + ")" + ("?" if "" in alts else "")


def _word_regex(word: str, low: bool = False) -> str:
    """One written word (no spaces) -> regex; may contain a ``( | )`` group."""
    out = []
    i = 0
    while i < len(word):
        ch = word[i]
        if ch == "(":
            j = _closing(word, i)
            alts = _split_top(word[i + 1:j], "|")
            if any(not a.strip() for a in alts):
                raise ValueError(f"empty alternative in {word[i:j + 1]!r}")
            out.append(_alternation([a.strip() for a in alts], low))
            i = j + 1
            continue
        if ch == "*":
            out.append(r"\w*")
        elif ch == "#":
            out.append(r"\d(?:[\d,.]*\d)?")
        elif ch == "?":
            out.append(r"\w")
        elif ch in "-\u2010\u2011\u2012\u2013\u2014":
            out.append((_L if low else _X)["SEP_OPT"])
        elif ch in "'\u2019\u2018\u02bc`":
            out.append((_L if low else _X)["APOS"])
        elif ch == ".":
            out.append((_L if low else _X)["DOT"])
        else:
            out.append(re.escape(ch.lower() if low else ch))
        i += 1
    return "".join(out)


_GAP_RX = re.compile(r"~(\d+)$")


@functools.lru_cache(maxsize=16384)
def _phrase_regex(term: str, low: bool = False) -> str:
    """A term -> regex. ``low=True``: for lower-cased text, without IGNORECASE (case-sensitive
    ``=`` terms are then matched lower-case and verified on the original text afterwards)."""
    term = term.strip()
    if term.startswith("="):
        return _phrase_regex(term[1:], low) if low else f"(?-i:{_phrase_regex(term[1:])})"
    tokens = _split_tokens(term)
    if not tokens:
        raise ValueError("empty term")
    parts: list[str] = []   # regex pieces, each either a word or a gap marker
    pending_gap = None
    for k, tok in enumerate(tokens):
        gap = _GAP_RX.match(tok)
        if tok.startswith("~") and not gap:
            raise ValueError(f"'{tok}': a gap is written ~N with a number, e.g. ~3")
        if gap:
            if k == 0 or k == len(tokens) - 1:
                raise ValueError(f"'{tok}': a gap must stand between two words")
            n = int(gap.group(1))
            if n > 12:
                raise ValueError(f"'{tok}': gaps are limited to ~12 words")
            pending_gap = n
            continue
        P = _L if low else _X
        rx = P["GAPWORD"] if tok == "*" else _word_regex(tok, low)
        if parts:
            if pending_gap:
                # the rest of the previous token ("Ukraine's", "land,"), up to N whole words,
                # then leading punctuation of the next word ("“NATO")
                parts.append(rf"(?!\w){P['TAIL']}(?:{P['SEP']}{P['GAPWORD']}){{0,{pending_gap}}}"
                             rf"{P['SEP']}{P['LEAD']}")
            else:
                parts.append(P["SEP"])
        parts.append(rx)
        pending_gap = None
    return "".join(parts)


@functools.lru_cache(maxsize=8192)
def _term_rx(term: str, low: bool = False) -> str:
    """A term -> regex string with word boundaries (not compiled; ValueError if malformed)."""
    if not isinstance(term, str):
        raise ValueError(f"a term must be a string, got {type(term).__name__}")  # noqa: TRY004
    raw = term.strip()
    if not raw.lstrip("="):
        raise ValueError("empty term")
    if not re.search(r"[^\W_]|#", re.sub(r"~\d+", "", raw)):
        raise ValueError(f"term {term!r} has no letters or digits: it would match any word")
    return rf"(?<!\w){_phrase_regex(raw, low)}(?!\w)"


def compile_pattern(term: str) -> str:
    """A codebook term (see the module docstring) -> a regex string with word boundaries.

    Raises ValueError with a readable reason for a malformed term.
    """
    rx = _term_rx(term)
    re.compile(rx, re.IGNORECASE)  # raises re.error for anything we missed
    return rx


def _term_body(term: str, low: bool = False) -> str:
    """The term's regex without the leading word boundary (the union adds it once)."""
    rx = _term_rx(term, low)
    return rx[len(r"(?<!\w)"):]


# --------------------------------------------------------------------------------------------
# codebook
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Matcher:
    issue: str
    terms: tuple[str, ...]
    regex: _Union | None
    exclude: _Union | None


@dataclass
class IssueCodebook:
    """A loaded issue codebook.

    ``issues``: ordered mapping key -> {"label", "description"};
    ``frame``: one row per pattern: issue, label, kind ("term"/"exclude"), pattern, line.
    Compiled matchers are built once, on first use.
    """

    issues: dict[str, dict[str, str]]
    frame: pd.DataFrame
    source: str = "<memory>"
    _matchers: list[_Matcher] | None = field(default=None, repr=False, compare=False)

    @property
    def keys(self) -> list[str]:
        return list(self.issues)

    def labels(self) -> dict[str, str]:
        return {k: v["label"] for k, v in self.issues.items()}

    def terms(self, issue: str) -> list[str]:
        f = self.frame
        return f.loc[(f["issue"] == issue) & (f["kind"] == "term"), "pattern"].tolist()

    def __len__(self) -> int:
        return len(self.issues)

    def __iter__(self):
        return iter(self.issues)

    def __contains__(self, key) -> bool:
        return key in self.issues

    def __repr__(self) -> str:
        n = int((self.frame["kind"] == "term").sum())
        return f"IssueCodebook({len(self.issues)} issues, {n} terms, source={self.source!r})"

    def _repr_html_(self) -> str:
        summary = (self.frame.groupby(["issue", "kind"], sort=False).size().unstack(fill_value=0)
                   .reindex(self.keys))
        summary.insert(0, "label", [self.issues[k]["label"] for k in summary.index])
        return summary.to_html()

    def __getstate__(self):
        # compiled regexes are not shipped (pickling re-compiles them anyway): a worker
        # compiles once per process, see _COMPILED
        state = dict(self.__dict__)
        state["_matchers"] = None
        return state

    def _key(self):
        return tuple(self.issues), tuple(map(tuple, self.frame[["issue", "kind", "pattern"]].to_numpy()))

    def matchers(self) -> list[_Matcher]:
        if self._matchers is None:
            content = self._key()
            cached = _COMPILED.get(content)
            if cached is not None:
                self._matchers = cached
                return cached
            terms: dict[str, list[str]] = {key: [] for key in self.issues}
            excl: dict[str, list[str]] = {key: [] for key in self.issues}
            for issue, kind, pattern in content[1]:  # the frame's rows, in order
                if issue in terms and kind in ("term", "exclude"):
                    (terms if kind == "term" else excl)[issue].append(pattern)
            out = []
            for key in self.issues:
                out.append(_Matcher(key, tuple(terms[key]), _union(terms[key], named=True),
                                    _union(excl[key], named=True)))
            self._matchers = out
            if len(_COMPILED) > 8:
                _COMPILED.clear()
            _COMPILED[content] = out
        return self._matchers


_COMPILED: dict = {}   # codebook content -> compiled matchers (one compile per process)


def _bucketed(term: str) -> dict[str, str]:
    """Split a term by the first character it can match: {bucket: term restricted to it}.

    "(the|a|Trump's) plan" -> {"t": "(the|Trump's) plan", "a": "(a) plan"}; a term whose
    first token is a plain word has one bucket. ``""`` = may start with anything.
    """
    raw = term.strip()
    prefix = ""
    if raw.startswith("="):
        prefix, raw = "=", raw[1:].strip()
    if not raw.startswith("("):
        return {_bucket(raw): term}
    j = _closing(raw, 0)
    rest = raw[j + 1:]
    groups: dict[str, list[str]] = {}
    for alt in _split_top(raw[1:j], "|"):
        for key in _bucketed(alt.strip()):
            groups.setdefault(key, []).append(alt.strip())
    return {key: prefix + "(" + "|".join(alts) + ")" + rest for key, alts in groups.items()}


def _bucket(word: str) -> str:
    """The (lower-case) first character a word pattern can match, "#" for digits, "" for any."""
    v = word.lstrip("=")
    ch = v[:1]
    if ch == "#":
        return "#"
    if not ch or ch in "*?" or not (ch.isalnum() or ch in "$\u20ac\u00a3"):
        return ""
    return ch.lower()


_PLACEHOLDER = "qqakplaceholderqq"
_NUMBER_TAIL = r"(?:[\d,.]*\d)?"   # "#" after its first digit


def _tail_plan(part: str, key: str) -> tuple | None:
    """How to write a bucketed term minus its first character ``key`` (a digit for "#") as
    a lower-case regex, or None when that is not simply possible. Cheap: ``_tail_regex``
    builds the regex (with the trailing boundary) from the plan, ("group", alternatives
    minus their first character or None for "#", rest) or ("word", None, rest)."""
    raw = part.strip().lstrip("=").strip()
    if raw.startswith("("):
        j = _closing(raw, 0)
        alts = [a.strip().lstrip("=") for a in _split_top(raw[1:j], "|")]
        stripped = []
        for a in alts:
            if key == "#":
                if not a.startswith("#"):
                    return None
                stripped.append(None if a == "#" else a)  # None = the rest of the number
                continue
            if not a or a[0].lower() != key or a[0] in "(":
                return None
            stripped.append(a[1:])
        if any(a and (a[0].isspace() or a[0] in "*?") for a in stripped):
            return None
        if key == "#" and any(a is not None for a in stripped):
            return None
        rest = raw[j + 1:]
        if rest[:1] in ("*", "?"):
            return None
        return ("group", None if key == "#" else tuple(stripped), rest)
    if key == "#":
        if not raw.startswith("#") or raw[1:2] in ("*", "?"):
            return None
        return ("group", None, raw[1:])
    if raw[0].lower() != key or len(raw) < 2 or raw[1].isspace() or raw[1] in "*?(":
        return None
    return ("word", None, raw[1:])


@functools.lru_cache(maxsize=16384)
def _tail_regex(plan: tuple) -> str:
    """The regex of a ``_tail_plan``."""
    kind, stripped, rest = plan
    if kind == "word":
        return _phrase_regex(rest, low=True) + r"(?!\w)"
    group = _NUMBER_TAIL if stripped is None else _alternation(stripped, low=True)
    body = _phrase_regex(_PLACEHOLDER + rest, low=True).replace(_PLACEHOLDER, group, 1)
    return body + r"(?!\w)"


class _Union:
    """A term list compiled for the scan, run on the folded text (no IGNORECASE).

    ``parts``: the branches in the regex's order, (term index, part number, first-character
    key, term part, ``_tail_plan``); ``regex`` (built and compiled on first use) has group
    ``t<i>_...`` = term i; ``exact[i]`` is the case-sensitive check for terms with ``=``.
    ``pieces`` = ``parts`` if every branch starts with a word character (a key), else None
    (then ``count_issues`` scans with ``regex``)."""

    def __init__(self, parts: list, exact: dict, named: bool):
        self.parts = parts
        self.exact = exact
        self.named = named
        anchorable = all(plan is not None and (key == "#" or _WORD_CHAR.fullmatch(key))
                         for _, _, key, _, plan in parts)
        self.pieces = parts if anchorable else None
        self._pattern: str | None = None
        self._regex: re.Pattern | None = None
        self._anchors: list | None = None
        self._piece_rx: dict[int, re.Pattern] = {}

    @property
    def pattern(self) -> str:
        if self._pattern is None:
            buckets: dict[str, list[str]] = {}
            loose: list[str] = []
            for i, k, key, part, plan in self.parts:
                tail = None if plan is None else _tail_regex(plan)
                keys = [key] if key != "#" else list("0123456789")
                for d, kk in enumerate(keys):
                    name = f"t{i}_{k}_{d}"
                    if tail is not None:
                        piece = f"(?P<{name}>{tail})" if self.named else f"(?:{tail})"
                        buckets.setdefault(kk, []).append(piece)
                    elif d == 0:
                        body = _term_body(part, low=True)
                        loose.append(f"(?P<{name}>{body})" if self.named else f"(?:{body})")
            branches = [rf"{re.escape(key)}(?<!\w.)(?:{'|'.join(alts)})"
                        for key, alts in sorted(buckets.items())]
            if loose:
                branches.append(rf"(?<!\w)(?:{'|'.join(loose)})")
            self._pattern = "|".join(branches)
        return self._pattern

    @property
    def regex(self) -> re.Pattern:
        if self._regex is None:
            self._regex = re.compile(self.pattern)
        return self._regex

    @property
    def anchors(self) -> list | None:
        """The chains of every piece (see ``_piece_chains``); None = not anchorable."""
        if self._anchors is None and self.pieces is not None:
            out = []
            for _, _, key, part, _ in self.pieces:
                found = _piece_chains(part, key)
                if found is None:
                    self.pieces = None
                    return None
                out.append(found)
            self._anchors = out
        return self._anchors

    def piece_regex(self, j: int) -> re.Pattern:
        """Piece ``j`` alone: its branch of ``regex`` (a "#" piece stands in each digit's
        bucket there; here one class covers them)."""
        rx = self._piece_rx.get(j)
        if rx is None:
            _, _, key, _, plan = self.pieces[j]
            first = "[0-9]" if key == "#" else re.escape(key)
            rx = self._piece_rx[j] = re.compile(rf"{first}(?<!\w.)(?:{_tail_regex(plan)})")
        return rx


def _union(terms: list[str], *, named: bool) -> _Union | None:
    """One regex for a list of terms, run on lower-cased text.

    Longer (more specific) terms come first, so that at one position the phrase wins over its
    head word; named groups ``t<index>_...`` remember which term matched. The terms are
    grouped by their first character, which is matched once for the group as a literal
    (``t(?<!\\w.)(?:erritor\\w*|he ...)``): the regex then starts with a set of literals, so
    the engine skips positions that cannot start a match, and at a word start only tries the
    terms that start with that character; plain word lists are compiled into prefix tries.
    (About 3x faster than a flat case-insensitive alternation with a word boundary.)
    ``count_issues`` does not scan with it but only tries its branches where they can start
    (see ``_find_anchored``); regexes are built and compiled on first use.
    """
    if not terms:
        return None
    order = sorted(range(len(terms)), key=lambda i: -len(terms[i]))
    exact: dict[int, re.Pattern] = {}
    parts = []
    for i in order:
        _term_rx(terms[i], True)  # validates the whole term (raises ValueError)
        if "=" in terms[i]:
            exact[i] = re.compile(compile_pattern(terms[i]), re.IGNORECASE)
        for k, (key, part) in enumerate(_bucketed(terms[i]).items()):
            plan = _tail_plan(part, key) if key else None
            # the regexes are built on first use; the ones that can fail on a valid term (a
            # "~" after the first character; a loose part without letters) are built here
            if plan is None:
                _term_body(part, low=True)
            elif plan[2].startswith("~") or any(a.startswith("~") for a in plan[1] or ()):
                _tail_regex(plan)
            parts.append((i, k, key, part, plan))
    return _Union(parts, exact, named)


_fold = char_mapper(_FOLD)   # = text.translate(_FOLD)


def _lower(text: str) -> str:
    """The folded copy the scan runs on: lower case, whitespace/dash/apostrophe variants
    unified (see ``_FOLD``), same length (offsets stay valid)."""
    folded = _fold(text)
    low = folded.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in folded)


def _find(u: _Union, big: str, low: str):
    """Matches of a union: (starts, ends, term indices), non-overlapping, left to right."""
    starts, ends, groups = [], [], []
    for m in u.regex.finditer(low):
        a, b = m.span()
        if a == b:
            continue
        g = int(m.lastgroup[1:].split("_", 1)[0]) if m.lastgroup else -1
        if g in u.exact and not u.exact[g].fullmatch(big, a, b):
            continue
        starts.append(a)
        ends.append(b)
        groups.append(g)
    return (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
            np.asarray(groups, dtype=np.int64))


# --------------------------------------------------------------------------------------------
# anchors: where a branch of a union can match
# --------------------------------------------------------------------------------------------
# Every word of a term matches at the start of a \w+ token of the folded text: the first word
# sits behind (?<!\w), the others behind a separator ([ -]) or after a gap (which ends in a
# separator and non-word punctuation). So a word whose pattern begins with the literal word
# characters L can only match where a token starts with L ("prefix" anchor), and where L is
# followed by something that is not a word character (a separator, an apostrophe, a dot, the
# end of the term) only where the token *is* L ("exact" anchor). An anchor is (L, exact); a
# requirement is a frozenset of anchors of which one must hold. A branch of a union is anchored
# by chains (start, co, follow): its match starts at a token matching ``start``, its sentence
# holds a token matching every requirement in ``co``, and the second word is where
# ``follow`` says: ("token", req) = on the token right after the start token (the first word
# is that one token, a separator follows); ("chunk", req, n) = on a token 1 to n chunks
# further, a chunk being a run of text between separators (the first word lies in one chunk;
# a separator, or a gap of up to n - 1 chunks, follows). Anchors are only ever used to skip
# text, so they must never miss: where unsure (a wildcard, a group inside a word, case folding
# that depends on the context) they fall back to a shorter prefix or to no requirement.

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014"       # a hyphen inside a term: [ -]{0,3}
_APOSTROPHES = "'\u2019\u2018\u02bc`"              # an apostrophe: "'"


def _plain_case(word: str) -> bool:
    # str.lower() of a whole word can depend on the context (final sigma); the scan regexes
    # lower some words character by character and some as a whole: skip such words
    return word.lower() == "".join(c.lower() for c in word)


@functools.lru_cache(maxsize=16384)
def _word_literals(word: str, closed: bool) -> frozenset | None:
    """Anchors of one written word without a leading group; ``closed``: what follows the word
    in the term cannot be a word character. None = the word may start with anything."""
    if word.isascii():  # the common case, quickly: "word" or "word*"
        body = word.removesuffix("*")
        if body.isalnum():
            return frozenset({(body.lower(), closed and body == word)})
    if not _plain_case(word):
        return None
    lit, ended = "", set()
    for ch in word:
        if ch in _HYPHENS:
            if lit:  # with a separator the token ends here, without one the word goes on
                ended.add((lit, True))
            continue
        if ch in "*?#(":
            return _anchors(lit, ended, exact=False)
        if ch in _APOSTROPHES or ch == ".":
            return _anchors(lit, ended, exact=True)
        low = ch.lower()
        if len(low) == 1 and _WORD_CHAR.match(low):
            lit += low
            continue
        return _anchors(lit, ended, exact=not _WORD_CHAR.match(low[0]))
    return _anchors(lit, ended, exact=closed)


def _anchors(lit: str, ended: set, exact: bool) -> frozenset | None:
    if not lit:
        return None  # the word may begin with a wildcard
    return frozenset(ended | {(lit, exact)})


@functools.lru_cache(maxsize=16384)
def _one_token(word: str) -> bool:
    """The word matches word characters only (letters, ``?``, ``*``): one whole token."""
    if word.isascii() and word.replace("*", "").replace("?", "").isalnum():
        return True
    return _plain_case(word) and all(
        ch in "*?" or (len(ch.lower()) == 1 and bool(_WORD_CHAR.match(ch.lower()))) for ch in word)


def _one_chunk(word: str) -> bool:
    """The word (without a group) never matches a separator ([ -]): it lies in one chunk."""
    return not any(ch in _HYPHENS or ch in ".(" for ch in word)


@functools.lru_cache(maxsize=16384)
def _word_chains(word: str, closed: bool) -> tuple | None:
    """Chains (start, co, follow, one token, one chunk) of one written word; a ``( | )``
    group at its start gives the chains of every alternative. None = the word may start with
    anything."""
    if not word.startswith("("):
        req = _word_literals(word, closed)
        if req is None:
            return None
        return ((req, frozenset(), None, _one_token(word), _one_chunk(word)),)
    j = _closing(word, 0)
    whole = j == len(word) - 1
    rest_in_chunk = _one_chunk(word[j + 1:])
    chains, plain = [], set()
    for alt in _split_top(word[1:j], "|"):
        bare = alt.strip()
        body = bare.removesuffix("*")
        if body.isascii() and body.isalnum():
            # (quickly) a plain word: what _phrase_chains gives it, the chains merged
            plain.add((body.lower(), closed and whole and body == bare))
            continue
        found, co = _phrase_chains(alt, closed and whole)
        if found is None:
            return None
        chains.extend((s, c | co, f, one and whole, chunk and rest_in_chunk)
                      for s, c, f, one, chunk in found)
    if plain:
        chains.append((frozenset(plain), frozenset(), None, whole, rest_in_chunk))
    return _merged(chains)


def _merged(chains) -> tuple:
    """Chains that differ only in their start, as one chain (fewer, larger lookups)."""
    out: dict = {}
    for start, *rest in chains:
        rest = tuple(rest)
        out[rest] = out[rest] | start if rest in out else start
    return tuple((start, *rest) for rest, start in out.items())


@functools.lru_cache(maxsize=16384)
def _phrase_chains(text: str, closed: bool):
    """(chains of the phrase's first word, or None; requirements of its other words)."""
    text = text.strip()
    if text.startswith("="):
        return _phrase_chains(text[1:], closed)
    tokens = text.split() if "(" not in text and ")" not in text else _split_tokens(text)
    words = [t for t in tokens if not _GAP_RX.match(t)]
    reqs = []
    for n, tok in enumerate(words):
        # a word inside the phrase is followed by a separator or a gap, never a word character
        chains = None if tok == "*" else _word_chains(tok, closed if n == len(words) - 1 else True)
        reqs.append(None if chains is None else frozenset().union(*(c[0] for c in chains)))
        if n == 0:
            first = chains
    co = frozenset(r for r in reqs[1:] if r is not None)
    if first is None:
        return None, co
    # what follows the first word: "A B" (a separator) or "A ~N B" (a gap of up to N chunks)
    by_token = by_chunk = None
    if len(tokens) > 1 and reqs[1] is not None:
        gap = _GAP_RX.match(tokens[1])
        if not gap:
            by_token, by_chunk = ("token", reqs[1]), ("chunk", reqs[1], 1)
        elif len(tokens) > 2 and tokens[2] == words[1]:
            by_chunk = ("chunk", reqs[1], int(gap.group(1)) + 1)
    alone = len(tokens) == 1
    out = []
    for s, c, follow, one, chunk in first:
        if follow is None:
            follow = by_token if one and by_token else (by_chunk if chunk else None)
        out.append((s, c, follow, one and alone, chunk and alone))
    return tuple(out), co


@functools.lru_cache(maxsize=16384)
def _piece_chains(part: str, key: str) -> tuple | None:
    """Chains (start, co, follow) of one branch of a union: ``key`` + the rest of ``part``."""
    try:
        found, co = _phrase_chains(part, True)
    except ValueError:
        return None
    keys = "0123456789" if key == "#" else key
    key_req = frozenset((k, False) for k in keys)
    out = []
    for start, more, follow, _, _ in found or [(key_req, frozenset(), None, False, False)]:
        if not all(lit[:1] in keys for lit, _ in start):
            start, follow = key_req, None  # (cannot happen) anchors that disagree with the key
        out.append((start, more | co, follow))
    return _merged(out)


# --------------------------------------------------------------------------------------------
# anchored scan
# --------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _bmp_word_table() -> np.ndarray:
    """``\\w`` for every character below U+10000 (as the regex engine decides it)."""
    chars = "".join(map(chr, range(0xD800))) + " " * 0x800 + "".join(map(chr, range(0xE000, 0x10000)))
    table = np.zeros(0x10000, dtype=bool)
    table[[m.start() for m in re.finditer(r"\w", chars)]] = True
    return table


def _argsort_ints(a: np.ndarray) -> np.ndarray:
    """Stable argsort of non-negative integers below 2**32 (radix sorts of 16-bit halves)."""
    if not len(a) or int(a.max()) < 2 ** 16:
        return np.argsort(a.astype(np.uint16), kind="stable")
    lo = np.argsort((a & 0xFFFF).astype(np.uint16), kind="stable")
    return lo[np.argsort((a[lo] >> 16).astype(np.uint16), kind="stable")]


class _Tokens:
    """The \\w+ tokens of the folded text (start, length, sentence row) with exact ids: the
    rank of the token's text among the distinct token texts (``words``, sorted), so that the
    tokens equal to a word, or starting with it, are one block of ``order``."""

    def __init__(self, low: str, offsets: np.ndarray):
        cps = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if len(cps) and int(cps.max()) >= 0x10000:
            present = np.flatnonzero(np.bincount(cps))
            table = np.zeros(int(present[-1]) + 1, dtype=bool)
            table[present] = [bool(_WORD_CHAR.match(chr(c))) for c in present.tolist()]
        else:
            table = _bmp_word_table()
        is_word = table[cps]
        edges = np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        self.cps = cps
        # the word characters, 0 elsewhere (padded, so that 3 characters on can be read)
        self.wcps = np.zeros(len(cps) + 3, dtype=np.uint32)
        np.multiply(cps, is_word, out=self.wcps[:len(cps)])
        self.starts = np.flatnonzero(edges == 1)
        self.lens = np.flatnonzero(edges == -1) - self.starts
        self.rows = np.searchsorted(offsets, self.starts, side="right") - 1
        self.n_rows = len(offsets)
        ids, self.words = self._ids(low)
        self.ids = np.append(ids, len(self.words))  # + the id of "no next token"
        self.order = _argsort_ints(ids)
        self.bounds = np.zeros(len(self.words) + 1, dtype=np.int64)
        np.cumsum(np.bincount(ids, minlength=len(self.words)), out=self.bounds[1:])
        self._occ: dict = {}
        self._masks: dict = {}
        self._tables: dict = {}
        self._sorted: dict = {}
        self._chunks: np.ndarray | None = None

    def _ids(self, low: str):
        """Exact token ids, three characters at a time: the id of a token's first 3k
        characters and the next three (packed in one int) number its first 3k + 3."""
        n, wc = len(self.starts), self.wcps
        ids = np.zeros(n, dtype=np.int64)
        todo, at = np.arange(n), self.starts   # the tokens not done yet, where they go on
        next_id = 0
        while len(todo):
            c1, c2 = wc[at + 1], wc[at + 2]
            c2[c1 == 0] = 0  # past the end of the token
            key = (wc[at].astype(np.int64) << 42) | (c1.astype(np.int64) << 21) | c2
            if next_id:
                key = (ids[todo] << 32) | pd.factorize(key)[0]
            codes, uniques = pd.factorize(key)
            ids[todo] = codes + next_id  # new ids: above all ids so far
            next_id += len(uniques)
            more = (c2 != 0) & (wc[at + 3] != 0)
            todo, at = todo[more], at[more] + 3
        # one token of every id (the ids of shorter prefixes that no token ends with are unused)
        used = np.zeros(next_id, dtype=bool)
        used[ids] = True
        some = np.zeros(next_id, dtype=np.int64)
        some[ids] = np.arange(n)
        uniq = np.flatnonzero(used)
        one = some[uniq]
        words = [low[a:a + b] for a, b in zip(self.starts[one].tolist(), self.lens[one].tolist())]
        rank = np.zeros(next_id, dtype=np.int64)
        rank[uniq[sorted(range(len(words)), key=words.__getitem__)]] = np.arange(len(words))
        return rank[ids], sorted(words)

    def _range(self, lit: str, exact: bool) -> tuple[int, int]:
        """The ids of the words equal to ``lit`` (exact) or starting with it."""
        lo = bisect.bisect_left(self.words, lit)
        if exact:
            return lo, lo + (lo < len(self.words) and self.words[lo] == lit)
        # the words starting with lit sort below lit with its last character incremented
        return lo, bisect.bisect_left(self.words, lit[:-1] + chr(ord(lit[-1]) + 1), lo)

    def occurrences(self, lit: str, exact: bool) -> np.ndarray:
        """Indices of the tokens equal to ``lit`` (exact) or starting with it."""
        found = self._occ.get((lit, exact))
        if found is None:
            a, b = self._range(lit, exact)
            found = self._occ[(lit, exact)] = self.order[self.bounds[a]:self.bounds[b]]
        return found

    def _table(self, req: frozenset) -> np.ndarray:
        """Per word id (and "no next token"): does it match one of the anchors ``req``?"""
        table = self._tables.get(req)
        if table is None:
            table = np.zeros(len(self.words) + 1, dtype=bool)
            for lit, exact in req:
                a, b = self._range(lit, exact)
                table[a:b] = True
            self._tables[req] = table
        return table

    def row_mask(self, req: frozenset) -> np.ndarray:
        """Sentences holding a token that matches one of the anchors ``req``."""
        mask = self._masks.get(req)
        if mask is None:
            mask = np.zeros(self.n_rows, dtype=bool)
            for lit, exact in req:
                mask[self.rows[self.occurrences(lit, exact)]] = True
            self._masks[req] = mask
        return mask

    def followed(self, follow: tuple, occ: np.ndarray) -> np.ndarray:
        """For the tokens ``occ``: is each followed as ``follow`` says (see the anchors)?"""
        if follow[0] == "token":
            return self._table(follow[1])[self.ids[occ + 1]]
        req, most = follow[1], follow[2]
        found = self._sorted.get(req)
        if found is None:  # (sorted runs: a stable sort merges them quickly)
            found = self._sorted[req] = np.sort(np.concatenate(
                [self.occurrences(lit, exact) for lit, exact in req]), kind="stable")
        if not len(found):
            return np.zeros(len(occ), dtype=bool)
        # the tokens 1 to ``most`` chunks further are the tokens lo..hi-1
        chunks, first = self.chunks
        last = len(first) - 1
        chunk = chunks[occ]
        lo = first[np.minimum(chunk + 1, last)]
        hi = first[np.minimum(chunk + 1 + most, last)]
        at = np.minimum(np.searchsorted(found, lo), len(found) - 1)
        return (found[at] >= lo) & (found[at] < hi)

    @property
    def chunks(self) -> tuple[np.ndarray, np.ndarray]:
        """Per token, its chunk: the number of runs of separators ([ -]+) before it, where
        the runs between two tokens count once (so between two tokens the difference is 0 if
        no separator lies between them, and never more than the true number of runs); and
        per chunk (and one past the last), the index of its first token."""
        if self._chunks is None:
            n = len(self.starts)
            seps = ((self.cps == 32) | (self.cps == 45)).view(np.uint8)
            cuts = np.empty(2 * max(n - 1, 0), dtype=np.int64)
            cuts[0::2] = self.starts[:-1] + self.lens[:-1]  # token ends: the gaps ...
            cuts[1::2] = self.starts[1:]                    # ... up to the next token
            gaps = np.maximum.reduceat(seps, cuts)[0::2] if n > 1 else np.zeros(0, np.uint8)
            chunks = np.concatenate(([0], np.cumsum(gaps, dtype=np.int64)))[:n]
            first = np.concatenate(([0], np.flatnonzero(gaps) + 1, [n]))
            self._chunks = chunks, first
        return self._chunks

    def candidates(self, chains, rows: np.ndarray | None = None) -> np.ndarray:
        """Sorted offsets where a branch anchored by ``chains`` can start (in ``rows`` only)."""
        found = []
        for start, co, follow in chains:
            occ = [self.occurrences(lit, exact) for lit, exact in start]
            occ = occ[0] if len(occ) == 1 else np.concatenate(occ)
            if rows is not None and len(occ):
                occ = occ[rows[self.rows[occ]]]
            for req in co:
                if not len(occ):
                    break
                occ = occ[self.row_mask(req)[self.rows[occ]]]
            if follow is not None and len(occ):
                occ = occ[self.followed(follow, occ)]
            if len(occ):
                found.append(self.starts[occ])
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(found))


def _find_anchored(u: _Union, big: str, low: str, tokens: _Tokens | None,
                   rows: np.ndarray | None = None):
    """``_find`` without scanning the text (restricted to the sentences ``rows``, a boolean
    mask, if given); None if the union has no anchors.

    ``finditer`` tries the branches of the union, in order, at every position from the end
    of the previous match on, and takes the first that matches. A piece can only match where
    its anchors say it can start, so trying, left to right, only those (position, piece)
    pairs, the pieces at one position in the union's order, gives the same matches."""
    anchors = u.anchors if tokens is not None else None
    if anchors is None:
        return None
    where, which = [], []
    for j, chains in enumerate(anchors):
        at = tokens.candidates(chains, rows)
        if len(at):
            where.append(at)
            which.append(np.full(len(at), j, dtype=np.int64))
    starts, ends, groups = [], [], []
    if where:
        match = {int(js[0]): u.piece_regex(int(js[0])).match for js in which}  # (compiled here)
        term = [piece[0] for piece in u.pieces]
        where, which = np.concatenate(where), np.concatenate(which)
        order = np.lexsort((which, where))
        pos = 0
        for p, j in zip(where[order].tolist(), which[order].tolist()):
            if p < pos:
                continue
            m = match[j](low, p)
            if m is None:
                continue
            pos = m.end()  # a piece starts with its key: never an empty match
            g = term[j]
            if g in u.exact and not u.exact[g].fullmatch(big, p, pos):
                continue
            starts.append(p)
            ends.append(pos)
            groups.append(g)
    return (np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64),
            np.asarray(groups, dtype=np.int64))


_ALLOWED_FIELDS = {"label", "description", "terms", "exclude"}
# misspelt fields are reported as such, not read as a nested dictionary
_FIELD_TYPOS = {"term", "exclusion", "exclusions", "excludes", "excluded", "labels", "desc",
                "patterns", "pattern", "words", "keywords", "descriptions"}


def _err(source: str, line: int | None, issue: str | None, msg: str) -> CodebookError:
    where = f"{source}" + (f", line {line}" if line else "")
    who = f", issue {issue!r}" if issue else ""
    return CodebookError(f"{where}{who}: {msg}")


def _scalar_str(node, source, issue, what) -> str:
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        raise _err(source, node.start_mark.line + 1, issue, f"{what} must be a string")
    return str(node.value)


def _parse_yaml(text: str, source: str) -> IssueCodebook:
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise _err(source, line, None, f"not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if root is None:
        raise _err(source, None, None, "the codebook is empty")
    if not isinstance(root, yaml.MappingNode):
        raise _err(source, root.start_mark.line + 1, None,
                   "the codebook must be a mapping: issue key -> {label, description, terms, exclude}")
    issues: dict[str, dict[str, str]] = {}
    rows = []
    todo = [("", k, v) for k, v in root.value]
    while todo:
        prefix, key_node, val_node = todo.pop(0)
        name = _scalar_str(key_node, source, None, "an issue key")
        key = prefix + name
        line = key_node.start_mark.line + 1
        if not re.fullmatch(r"[A-Za-z_][\w\-]*", name):
            raise _err(source, line, key, "issue keys are identifiers like 'nato_membership'")
        if key in issues:
            raise _err(source, line, key, "duplicate issue key")
        if (isinstance(val_node, yaml.MappingNode) and val_node.value
                and all(isinstance(fk, yaml.ScalarNode)
                        and fk.value not in _ALLOWED_FIELDS | _FIELD_TYPOS
                        and isinstance(fv, (yaml.SequenceNode, yaml.MappingNode))
                        for fk, fv in val_node.value)):
            # a nested quanteda dictionary: economy: {energy: [...], trade: [...]}
            todo[0:0] = [(key + ".", k, v) for k, v in val_node.value]
            continue
        label, description = name.replace("_", " ").capitalize(), ""
        term_nodes, excl_nodes = None, None
        if isinstance(val_node, yaml.SequenceNode):          # plain quanteda dictionary
            term_nodes = val_node
        elif isinstance(val_node, yaml.MappingNode):
            for fk, fv in val_node.value:
                fname = _scalar_str(fk, source, key, "a field name")
                fline = fk.start_mark.line + 1
                if fname not in _ALLOWED_FIELDS:
                    raise _err(source, fline, key, f"unknown field {fname!r} "
                               f"(allowed: {', '.join(sorted(_ALLOWED_FIELDS))})")
                if fname == "label":
                    label = _scalar_str(fv, source, key, "label")
                elif fname == "description":
                    description = _scalar_str(fv, source, key, "description")
                elif fname == "terms":
                    term_nodes = fv
                else:
                    excl_nodes = fv
        else:
            raise _err(source, val_node.start_mark.line + 1, key,
                       "expected a list of terms or a mapping with label/description/terms/exclude")
        if term_nodes is None:
            raise _err(source, line, key, "no 'terms' list")
        for kind, nodes in (("term", term_nodes), ("exclude", excl_nodes)):
            if nodes is None:
                continue
            if isinstance(nodes, yaml.ScalarNode) and nodes.value in ("", None) and kind == "exclude":
                continue
            if not isinstance(nodes, yaml.SequenceNode):
                raise _err(source, nodes.start_mark.line + 1, key,
                           f"'{'terms' if kind == 'term' else 'exclude'}' must be a list of strings")
            for item in nodes.value:
                iline = item.start_mark.line + 1
                pattern = _scalar_str(item, source, key, "a term")
                try:
                    _term_rx(pattern, True)  # (the scan's variant: built once, used again)
                except (ValueError, re.error) as exc:
                    raise _err(source, iline, key, f"bad {kind} {pattern!r}: {exc}") from None
                rows.append((key, label, kind, pattern, iline))
        if not any(r[0] == key and r[2] == "term" for r in rows):
            raise _err(source, line, key, "the 'terms' list is empty")
        issues[key] = {"label": label, "description": description}
    frame = pd.DataFrame(rows, columns=["issue", "label", "kind", "pattern", "line"])
    return IssueCodebook(issues=issues, frame=frame, source=source)


def _from_mapping(data: Mapping, source: str) -> IssueCodebook:
    import yaml

    return _parse_yaml(yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True), source)


def load_issues(path=None) -> IssueCodebook:
    """Load an issue codebook.

    ``path=None`` loads the packaged ``analystkit/data/issues.yaml``; a path loads that YAML
    file; an ``IssueCodebook`` is returned as is; a dict ``{issue: [terms]}`` or
    ``{issue: {label, description, terms, exclude}}`` is accepted too. Nested quanteda
    dictionaries (``economy: {energy: [...], trade: [...]}``) become ``economy.energy``,
    ``economy.trade``.

    YAML format (one key per issue)::

        territory:
          label: Territory
          description: control, cession or recognition of land ...
          terms: [territor*, Donbas*, "(cede*|ceding) ~2 land"]
          exclude: [uncharted territory, land mine*]

    A malformed file raises ``CodebookError`` naming the file, the issue and the line.
    """
    if isinstance(path, IssueCodebook):
        return path
    if isinstance(path, Mapping):
        return _from_mapping(path, "<dict>")
    try:
        text, source = read_data_text(path, "issues.yaml")
    except FileNotFoundError:
        raise CodebookError(f"{path}: issue codebook not found") from None
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return _parse_yaml(text, source)


_DEFAULT: IssueCodebook | None = None


def _codebook(codebook) -> IssueCodebook:
    global _DEFAULT
    if codebook is None:
        if _DEFAULT is None:
            _DEFAULT = load_issues()
        return _DEFAULT
    return load_issues(codebook)


# --------------------------------------------------------------------------------------------
# counting
# --------------------------------------------------------------------------------------------

def _sentences_of(obj) -> pd.DataFrame:
    if isinstance(obj, pd.DataFrame):
        return obj
    if hasattr(obj, "sentences"):
        return obj.sentences
    raise TypeError("expected a sentences frame or a Corpus")


def _find_in_rows(u: _Union, big: str, low: str, offsets: np.ndarray, rows: np.ndarray):
    """Matches of ``u`` only in the sentences ``rows`` (as spans of ``big``): exclusions are
    sentence-local, so they are scanned only where the issue has hits."""
    if len(rows) * 2 > len(offsets):  # most sentences: scanning everything is as cheap
        xs, xe, _ = _find(u, big, low)
        return xs, xe
    ends = np.append(offsets[1:] - 1, len(big))
    starts_b, ends_b = offsets[rows], ends[rows]
    sub_big = _NUL.join(big[a:b] for a, b in zip(starts_b, ends_b))
    sub_low = _NUL.join(low[a:b] for a, b in zip(starts_b, ends_b))
    sub_off = np.zeros(len(rows), dtype=np.int64)
    if len(rows) > 1:
        sub_off[1:] = np.cumsum((ends_b - starts_b)[:-1] + 1)
    xs, xe, _ = _find(u, sub_big, sub_low)
    k = np.searchsorted(sub_off, xs, side="right") - 1
    shift = starts_b[k] - sub_off[k]
    return xs + shift, xe + shift


def _joined(texts: list[str]) -> tuple[str, np.ndarray]:
    big = _NUL.join(texts)
    if big.count(_NUL) > len(texts) - 1:  # a NUL inside a text would split it
        texts = [t.replace(_NUL, " ") for t in texts]
        big = _NUL.join(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    offsets = np.zeros(len(texts), dtype=np.int64)
    if len(texts) > 1:
        offsets[1:] = np.cumsum(lengths[:-1] + 1)
    return big, offsets


def _empty_hits(keys, article_dtype=None) -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": pd.Series([], dtype=article_dtype or "string"),
        "sentence_id": pd.Series([], dtype="int64"),
        "issue": pd.Categorical([], categories=list(keys)),
        "term": pd.Series([], dtype="string"),
        "start": pd.Series([], dtype="int64"),
        "end": pd.Series([], dtype="int64"),
    })


# = (?i)(?:https?://|www\.)[^\s\x00)\]>"']+ spelt out, so that the engine can skip to the
# h's and w's (IGNORECASE makes it try every position); "\u017f" (long s) matches (?i)s
_URL_RX = re.compile(r"[hHwW](?:(?<=[hH])[tT][tT][pP][sS\u017f]?://|(?<=[wW])[wW][wW]\.)"
                     r"[^\s\x00)\]>\"']+")
_URL_HINT = re.compile(r"://|\.(?<=[wW][wW][wW]\.)")
_MAIL_LEFT = re.compile(r"[\w.+-]+$")
_MAIL_RIGHT = re.compile(r"[\w-]+\.[\w.-]+")


def _url_spans(big: str):
    """Spans of URLs and e-mail addresses (e-mails found from their '@', which is rare)."""
    # a URL holds "://" or "www." (any case) and lies in one sentence: only the sentences
    # holding one of these are scanned
    spans, done = [], -1
    for hint in _URL_HINT.finditer(big):
        if hint.start() < done:
            continue
        first = big.rfind(_NUL, 0, hint.start()) + 1
        done = big.find(_NUL, hint.start())
        done = len(big) if done == -1 else done
        spans.extend(m.span() for m in _URL_RX.finditer(big, first, done))
    found = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    us, ue = found[:, 0], found[:, 1]
    mails = []
    at = big.find("@")
    while at != -1:
        left = _MAIL_LEFT.search(big, max(0, at - 64), at)
        right = _MAIL_RIGHT.match(big, at + 1)
        if left and right:
            mails.append((left.start(), right.end()))
        at = big.find("@", at + 1)
    if not mails:
        return us, ue
    spans = sorted(list(zip(us.tolist(), ue.tolist())) + mails)
    arr = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    return arr[:, 0], np.maximum.accumulate(arr[:, 1])


def count_issues(sentences, *, codebook=None) -> pd.DataFrame:
    """Find issue terms in sentences.

    ``sentences``: the sentences frame (``article_id, sentence_id, start, end, text``; ``start``
    is the sentence's offset into ``articles.text``) or a Corpus.

    Returns ``issue_hits``: one row per issue hit, columns
    ``article_id, sentence_id, issue, term, start, end``: ``term`` is the codebook pattern
    that matched and ``articles.text[start:end]`` the matched words. ``issue`` is categorical
    with the codebook's keys as categories (in codebook order), so counts keep zero issues.
    A span matching terms of two issues gives one row per issue. Words inside URLs and
    e-mail addresses are skipped. Sorted by article, offset.
    """
    sentences = _sentences_of(sentences)
    cb = _codebook(codebook)
    missing = {"article_id", "sentence_id", "start", "text"} - set(sentences.columns)
    if missing:
        raise ValueError(f"count_issues: sentences frame lacks column(s) {sorted(missing)}")
    if len(sentences) <= _CHUNK_SENTENCES:
        return _count_chunk(sentences, cb)
    # No term matches across a sentence boundary (the joined text separates sentences with
    # NUL, which no pattern crosses), so chunks of sentences give exactly the rows of one
    # pass, in order; the word index of one pass over 10,000 articles peaked at +800 MB.
    return pd.concat([_count_chunk(sentences.iloc[a:a + _CHUNK_SENTENCES], cb)
                      for a in range(0, len(sentences), _CHUNK_SENTENCES)], ignore_index=True)


_CHUNK_SENTENCES = 40_000   # sentences per pass of count_issues (~1,700 articles)


def _count_chunk(sentences: pd.DataFrame, cb) -> pd.DataFrame:
    """:func:`count_issues` on one run of sentences."""
    if len(sentences) == 0:
        return _empty_hits(cb.keys, sentences["article_id"].dtype)
    texts = sentences["text"].fillna("").astype(str).tolist()
    big, offsets = _joined(texts)
    low = _lower(big)
    # words inside URLs / e-mail addresses are not story text ("...office-raid.html")
    us, ue = _url_spans(big)
    matchers = cb.matchers()
    # the scan only tries the regexes where a term can start (see _find_anchored)
    tokens = _Tokens(low, offsets) if any(m.regex is not None and m.regex.anchors is not None
                                           for m in matchers) else None
    keys = cb.keys
    found_rows, found_starts, found_ends, found_issues, found_terms = [], [], [], [], []
    for m in matchers:
        if m.regex is None:
            continue
        found = _find_anchored(m.regex, big, low, tokens)
        s, e, g = found if found is not None else _find(m.regex, big, low)
        if len(s) == 0:
            continue
        if m.exclude is not None:
            hit_rows = np.unique(np.searchsorted(offsets, s, side="right") - 1)
            mask = np.zeros(len(offsets), dtype=bool)
            mask[hit_rows] = True
            found = _find_anchored(m.exclude, big, low, tokens, mask)
            xs, xe = found[:2] if found is not None else _find_in_rows(m.exclude, big, low, offsets,
                                                                         hit_rows)
            if len(xs):
                idx = np.searchsorted(xs, e, side="left") - 1
                overlap = (idx >= 0) & (xe[np.clip(idx, 0, None)] > s)
                s, e, g = s[~overlap], e[~overlap], g[~overlap]
        if len(s) and len(us):
            idx = np.searchsorted(us, e, side="left") - 1
            in_url = (idx >= 0) & (ue[np.clip(idx, 0, None)] > s)
            s, e, g = s[~in_url], e[~in_url], g[~in_url]
        if len(s) == 0:
            continue
        row = np.searchsorted(offsets, s, side="right") - 1
        found_rows.append(row)
        found_starts.append(s - offsets[row])
        found_ends.append(e - offsets[row])
        found_issues.append(np.full(len(s), keys.index(m.issue), dtype=np.int64))
        found_terms.append(np.asarray(m.terms, dtype=object)[g])
    if not found_rows:
        return _empty_hits(keys, sentences["article_id"].dtype)
    row = np.concatenate(found_rows)
    sent_start = sentences["start"].to_numpy(dtype=np.int64)[row]
    start = sent_start + np.concatenate(found_starts)
    end = sent_start + np.concatenate(found_ends)
    issue = np.concatenate(found_issues)
    # by sentence, offset, issue (in codebook order), end; ties keep the order found (stable)
    order = np.lexsort((end, issue, start, row))
    row = row[order]
    out = pd.DataFrame({
        "article_id": sentences["article_id"].to_numpy()[row],
        "sentence_id": sentences["sentence_id"].to_numpy(dtype=np.int64)[row],
        "issue": pd.Categorical.from_codes(issue[order], categories=keys),
        "term": pd.Series(np.concatenate(found_terms)[order], dtype="string"),
        "start": start[order],
        "end": end[order],
    })
    out["article_id"] = out["article_id"].astype(sentences["article_id"].dtype)
    return out


# --------------------------------------------------------------------------------------------
# coverage
# --------------------------------------------------------------------------------------------

def _get(obj, name):
    try:
        return getattr(obj, name)
    except AttributeError:
        return None


def _copy_sentence_mask(sentences: pd.DataFrame, syndication: pd.DataFrame | None) -> pd.Series:
    """True for sentences inside paragraphs that are syndicated copies (``is_copy``)."""
    if syndication is None or len(syndication) == 0 or len(sentences) == 0:
        return pd.Series(False, index=sentences.index)
    syn = syndication
    if "is_copy" in syn.columns:
        syn = syn[syn["is_copy"].fillna(False).astype(bool)]
    if len(syn) == 0:
        return pd.Series(False, index=sentences.index)
    if "paragraph_id" in syn.columns and "paragraph_id" in sentences.columns:
        keys = pd.MultiIndex.from_frame(syn[["article_id", "paragraph_id"]].astype(object))
        mine = pd.MultiIndex.from_frame(sentences[["article_id", "paragraph_id"]].astype(object))
        return pd.Series(mine.isin(keys), index=sentences.index)
    # fall back to offsets: a sentence lying inside a copied span
    m = sentences[["article_id", "start", "end"]].reset_index().merge(
        syn[["article_id", "start", "end"]].rename(columns={"start": "cs", "end": "ce"}),
        on="article_id")
    inside = m[(m["start"] >= m["cs"]) & (m["end"] <= m["ce"])]["index"].unique()
    return pd.Series(sentences.index.isin(inside), index=sentences.index)


def _resolve_syndication(corpus, syndication):
    if syndication is not None:
        return syndication
    syn = _get(corpus, "syndication")
    if isinstance(syn, pd.DataFrame):
        return syn
    try:
        from analystkit.compare import find_syndication
    except ImportError as exc:
        raise RuntimeError(
            "coverage(dedupe=True) needs analystkit.compare.find_syndication, which is not "
            f"available ({exc}); pass syndication=<frame> instead") from None
    return find_syndication(corpus)


def _issue_keys(hits: pd.DataFrame, codebook) -> list[str]:
    if codebook is not None:
        return _codebook(codebook).keys
    if isinstance(hits["issue"].dtype, pd.CategoricalDtype):
        return [str(c) for c in hits["issue"].cat.categories]
    return sorted(hits["issue"].dropna().astype(str).unique())


def coverage_measures(counts: pd.DataFrame, *, by: str, keys, n_articles, n_sent, n_tok) -> pd.DataFrame:
    """The coverage frame from per-(group, issue) counts.

    ``counts`` has one row per (``_g`` group, issue) with hits, articles, sentences;
    ``n_articles``/``n_sent``/``n_tok`` map a group to its totals. Shared by
    :func:`coverage` and the Dask engine's recombination, so both compute the same formula.
    """
    out = counts.copy()
    na = out["_g"].map(n_articles).fillna(0).to_numpy(dtype=float)
    ns = out["_g"].map(n_sent).fillna(0).to_numpy(dtype=float)
    nt = out["_g"].map(n_tok).fillna(0).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_of_sentences"] = np.where(ns > 0, out["sentences"] / ns, 0.0)
        out["per_1k_tokens"] = np.where(nt > 0, out["hits"] * 1000.0 / nt, 0.0)
        out["share_of_articles"] = np.where(na > 0, out["articles"] / na, 0.0)
    out = out.rename(columns={"_g": by})
    out["issue"] = pd.Categorical(out["issue"], categories=keys)
    return out[[by, "issue"] + COVERAGE_MEASURES].reset_index(drop=True)


def coverage(corpus=None, *, by: str = "outlet", dedupe: bool = False, articles=None,
             sentences=None, tokens=None, issue_hits=None, syndication=None,
             codebook=None) -> pd.DataFrame:
    """Issue coverage per group of articles.

    ``coverage(corpus, by="outlet")`` uses the Corpus' articles, sentences, tokens and
    issue_hits. Frames also work:
    ``coverage(issue_hits, articles=..., sentences=..., tokens=None, by=...)``
    (without tokens, words are counted with ``\\w+`` in the sentences).

    ``by``: any column of ``articles`` (outlet, author, published, ...).
    ``dedupe=True`` counts syndicated copies once: hits, sentences and tokens inside
    paragraphs marked ``is_copy`` by ``compare.find_syndication`` (or by the ``syndication``
    frame passed in: ``article_id, paragraph_id, is_copy`` [+ ``start, end``]) are dropped.

    Returns one row per (group, issue), zeros included, columns
    ``<by>, issue, hits, articles, sentences, share_of_sentences, per_1k_tokens,
    share_of_articles``: hits; articles of the group with at least one hit; sentences with at
    least one hit; those sentences / all sentences of the group; hits per 1,000 word tokens
    (punctuation excluded) of the group; articles covering it / articles of the group.
    """
    if isinstance(corpus, pd.DataFrame):
        issue_hits = corpus if issue_hits is None else issue_hits
        corpus = None
    if corpus is not None:
        articles = corpus.articles if articles is None else articles
        sentences = corpus.sentences if sentences is None else sentences
        if issue_hits is None:
            issue_hits = corpus.issue_hits
        if tokens is None:
            tokens = _get(corpus, "tokens")
        if codebook is None:
            codebook = _get(corpus, "issue_codebook")
    if articles is None or sentences is None:
        raise ValueError("coverage needs a Corpus, or issue_hits with articles= and sentences=")
    if issue_hits is None:
        issue_hits = count_issues(sentences, codebook=codebook)
    if by not in articles.columns:
        raise ValueError(f"coverage: articles has no column {by!r}; "
                         f"choose one of {list(articles.columns)}")
    keys = _issue_keys(issue_hits, codebook)

    if dedupe:
        syn = _resolve_syndication(corpus, syndication)
        copy = _copy_sentence_mask(sentences, syn)
        dropped = sentences.loc[copy, ["article_id", "sentence_id"]]
        sentences = sentences.loc[~copy]
        if len(dropped):
            drop_idx = pd.MultiIndex.from_frame(dropped.astype(object))
            hit_idx = pd.MultiIndex.from_frame(issue_hits[["article_id", "sentence_id"]].astype(object))
            issue_hits = issue_hits[~hit_idx.isin(drop_idx)]
            if tokens is not None and len(tokens):
                tok_idx = pd.MultiIndex.from_frame(tokens[["article_id", "sentence_id"]].astype(object))
                tokens = tokens[~tok_idx.isin(drop_idx)]

    group = articles[["article_id", by]].copy()
    if isinstance(group[by].dtype, pd.CategoricalDtype):
        group[by] = group[by].astype(object)
    group[by] = group[by].astype(object).where(group[by].notna(), "(missing)")
    group[by] = group[by].map(lambda v: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    g_of = pd.Series(group[by].to_numpy(), index=group["article_id"].astype(object).to_numpy())
    groups = pd.unique(group[by].to_numpy())

    def gcol(frame):
        return frame["article_id"].astype(object).map(g_of)

    def per_group(per_article: pd.Series) -> pd.Series:
        """counts per article -> counts per group (cheap: one row per article)."""
        keys_ = pd.Series(per_article.index.astype(object)).map(g_of).to_numpy()
        return pd.Series(per_article.to_numpy()).groupby(keys_, sort=False).sum()

    n_articles = group.groupby(by, sort=False).size()
    n_sent = per_group(sentences.groupby("article_id", observed=True, sort=False).size())
    if tokens is not None:
        words = tokens[["article_id"]]   # one column: the token frame is the corpus' largest
        if "is_punct" in tokens.columns:
            words = words[~tokens["is_punct"].fillna(False).astype(bool).to_numpy()]
        n_tok = per_group(words.groupby("article_id", observed=True, sort=False).size())
    else:
        wc = sentences["text"].fillna("").astype(str).str.count(r"\w+")
        n_tok = wc.groupby(gcol(sentences).to_numpy(), sort=False).sum()

    h = issue_hits.assign(_g=gcol(issue_hits), issue=issue_hits["issue"].astype(object))
    h = h[h["issue"].isin(keys) & h["_g"].notna()]
    agg = h.groupby(["_g", "issue"], sort=False).agg(
        hits=("start", "size"),
        articles=("article_id", "nunique"),
    )
    sent_agg = (h.drop_duplicates(["article_id", "sentence_id", "issue"])
                 .groupby(["_g", "issue"], sort=False).size().rename("sentences"))
    full = pd.MultiIndex.from_product([groups, keys], names=["_g", "issue"])
    out = agg.join(sent_agg, how="outer").reindex(full).fillna(0).astype("int64").reset_index()
    return coverage_measures(out, by=by, keys=keys, n_articles=n_articles, n_sent=n_sent, n_tok=n_tok)


def article_issues(corpus=None, *, articles=None, sentences=None, issue_hits=None,
                   codebook=None, min_hits: int = 1) -> pd.DataFrame:
    """Issue presence per article.

    Returns one row per (article, issue), zeros included, columns
    ``article_id, issue, hits, sentences, present`` where ``present`` = at least ``min_hits``
    hits. This is what the quality benchmark compares with gold "issues" per article.
    """
    if isinstance(corpus, pd.DataFrame):
        issue_hits = corpus if issue_hits is None else issue_hits
        corpus = None
    if corpus is not None:
        articles = corpus.articles if articles is None else articles
        if issue_hits is None:
            issue_hits = corpus.issue_hits
        if codebook is None:
            codebook = _get(corpus, "issue_codebook")
    if issue_hits is None:
        if sentences is None:
            raise ValueError("article_issues needs a Corpus, issue_hits or sentences")
        issue_hits = count_issues(sentences, codebook=codebook)
    keys = _issue_keys(issue_hits, codebook)
    ids = (articles["article_id"] if articles is not None else issue_hits["article_id"]).astype(object)
    ids = pd.unique(ids.to_numpy())
    h = issue_hits.assign(issue=issue_hits["issue"].astype(object),
                          article_id=issue_hits["article_id"].astype(object))
    agg = h.groupby(["article_id", "issue"]).agg(hits=("start", "size"),
                                                 sentences=("sentence_id", "nunique"))
    full = pd.MultiIndex.from_product([ids, keys], names=["article_id", "issue"])
    out = agg.reindex(full).fillna(0).astype("int64").reset_index()
    out["present"] = out["hits"] >= int(min_hits)
    out["issue"] = pd.Categorical(out["issue"], categories=keys)
    return out


# --------------------------------------------------------------------------------------------
# evidence, KWIC
# --------------------------------------------------------------------------------------------

def _mark(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """HTML-escaped ``text`` with ``<mark>`` around the (merged) spans."""
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    out, pos = [], 0
    for s, e in merged:
        out.append(html.escape(text[pos:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out)


def issue_evidence(corpus, *, issue=None, outlet=None, by: str = "outlet", group=None,
                   dedupe: bool = False, syndication=None) -> pd.DataFrame:
    """The sentences behind a coverage cell.

    ``issue_evidence(corpus, outlet="Reuters", issue="ceasefire")`` (or ``by=``/``group=``
    for any article column; ``issue``/``group`` may be lists; None = all).

    Returns one row per (sentence, issue) with at least one hit, columns
    ``article_id, sentence_id, <by>, title, issue, kind, start, end, text, hits, words, terms,
    spans, marked``: ``start/end`` are the sentence's offsets into ``articles.text``;
    ``words`` the matched words;
    ``spans`` the hits as (start, end) offsets into ``text``; ``terms`` the codebook patterns;
    ``marked`` the HTML-escaped sentence with ``<mark>`` around the hits (safe to render).
    """
    if outlet is not None:
        by, group = "outlet", outlet
    articles, sentences, hits = corpus.articles, corpus.sentences, corpus.issue_hits
    if dedupe:
        copy = _copy_sentence_mask(sentences, _resolve_syndication(corpus, syndication))
        sentences = sentences.loc[~copy]
    keep_cols = ["article_id", by] + (["title"] if "title" in articles.columns and by != "title" else [])
    meta = articles[keep_cols].copy()
    meta["article_id"] = meta["article_id"].astype(object)
    h = hits.assign(article_id=hits["article_id"].astype(object), issue=hits["issue"].astype(object))
    if issue is not None:
        wanted = [issue] if isinstance(issue, str) else list(issue)
        h = h[h["issue"].isin(wanted)]
    h = h.merge(meta, on="article_id", how="left")
    if group is not None:
        wanted = [group] if not isinstance(group, (list, tuple, set)) else list(group)
        h = h[h[by].isin(wanted)]
    s = sentences.assign(article_id=sentences["article_id"].astype(object))
    scols = ["article_id", "sentence_id", "start", "end", "text"] + (["kind"] if "kind" in s.columns else [])
    h = h.merge(s[scols].rename(columns={"start": "s_start", "end": "s_end"}),
                on=["article_id", "sentence_id"], how="inner")
    cols = ["article_id", "sentence_id", by] + (["title"] if "title" in h.columns else []) + \
        ["issue", "kind", "start", "end", "text", "hits", "words", "terms", "spans", "marked"]
    if len(h) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    h["ls"] = h["start"] - h["s_start"]
    h["le"] = h["end"] - h["s_start"]
    rows = []
    gcols = ["article_id", "sentence_id", "issue"]
    for (aid, sid, iss), g in h.groupby(gcols, sort=False):
        first = g.iloc[0]
        spans = list(zip(g["ls"].astype(int), g["le"].astype(int)))
        rows.append({
            "article_id": aid, "sentence_id": int(sid), by: first[by],
            **({"title": first["title"]} if "title" in g.columns else {}),
            "issue": iss, "kind": first["kind"] if "kind" in g.columns else None,
            "start": int(first["s_start"]), "end": int(first["s_end"]),
            "text": first["text"], "hits": len(g),
            "words": [str(first["text"])[a:b] for a, b in spans],
            "terms": sorted(set(g["term"].astype(str))), "spans": spans,
            "marked": _mark(str(first["text"]), spans),
        })
    out = pd.DataFrame(rows, columns=cols)
    return out.reset_index(drop=True)


_WORD_RX = re.compile(r"\S+")


def kwic(corpus, pattern, *, window: int = 8, articles=None) -> pd.DataFrame:
    """Keyword in context.

    ``pattern``: a codebook-style pattern (wildcards ``*``, phrases, ``~N`` gaps,
    ``(a|b)`` alternatives; case-insensitive, word boundaries), or a list of them.
    Searched in the story sentences (``corpus.sentences``; or pass a sentences frame and
    ``articles=``).

    Returns one row per match, columns
    ``article_id, sentence_id, start, end, left, match, right, outlet, pattern``:
    ``start/end`` offsets into ``articles.text``; ``left``/``right`` up to ``window`` words of
    context from the article text (whitespace collapsed); ``match`` the matched text.
    """
    if isinstance(corpus, pd.DataFrame):
        sentences = corpus
        if articles is None:
            raise ValueError("kwic(sentences, ...) needs articles= for the context")
    else:
        sentences, articles = corpus.sentences, corpus.articles
    patterns = [pattern] if isinstance(pattern, str) else list(pattern)
    if not patterns:
        raise ValueError("kwic: empty pattern")
    try:
        rx = _union(patterns, named=True)
        rx.regex  # noqa: B018  (builds and compiles it here: a bad pattern is reported below)
    except (ValueError, re.error) as exc:
        raise ValueError(f"kwic: bad pattern: {exc}") from None
    cols = ["article_id", "sentence_id", "start", "end", "left", "match", "right", "outlet", "pattern"]
    if len(sentences) == 0:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
    big, offsets = _joined(sentences["text"].fillna("").astype(str).tolist())
    s, e, g = _find(rx, big, _lower(big))
    row = np.searchsorted(offsets, s, side="right") - 1
    sent_start = sentences["start"].to_numpy(dtype=np.int64)
    aids = sentences["article_id"].to_numpy()[row]
    start = sent_start[row] + (s - offsets[row])
    end = sent_start[row] + (e - offsets[row])
    text_of = dict(zip(articles["article_id"].astype(object), articles["text"].astype(str)))
    outlet_of = (dict(zip(articles["article_id"].astype(object), articles["outlet"]))
                 if "outlet" in articles.columns else {})
    left, match, right = [], [], []
    span = max(200, 40 * window)
    for aid, a, b in zip(aids, start, end):
        t = text_of.get(aid, "")
        lw = _WORD_RX.findall(t[max(0, a - span):a])
        if a - span > 0 and lw:
            lw = lw[1:]  # first word may be cut
        rw = _WORD_RX.findall(t[b:b + span])
        left.append(" ".join(lw[-window:]) if window > 0 else "")
        right.append(" ".join(rw[:window]) if window > 0 else "")
        match.append(" ".join(t[a:b].split()))
    out = pd.DataFrame({
        "article_id": pd.Series(aids, dtype=sentences["article_id"].dtype),
        "sentence_id": sentences["sentence_id"].to_numpy(dtype=np.int64)[row],
        "start": start, "end": end,
        "left": pd.Series(left, dtype="string"), "match": pd.Series(match, dtype="string"),
        "right": pd.Series(right, dtype="string"),
        "outlet": [outlet_of.get(a) for a in aids],
        "pattern": pd.Series(np.asarray(patterns, dtype=object)[g] if len(g) else [], dtype="string"),
    })
    return out[cols]


# --------------------------------------------------------------------------------------------
# keyness
# --------------------------------------------------------------------------------------------

_HAS_LETTER = r"[^\W\d_]"


def keyness(corpus, *, by: str = "outlet", target, reference=None, measure: str = "loglik",
            min_count: int = 2, tokens=None, articles=None, alpha0: float | None = None
            ) -> pd.DataFrame:
    """Distinctive terms of a group of articles against the rest (or a chosen reference).

    ``target``/``reference``: a value (or list of values) of ``articles[by]``;
    ``reference=None`` = all other articles. Words are ``tokens.lower`` without stopwords
    (``is_stop``), punctuation (``is_punct``), tokens without a letter and one-letter tokens.
    ``measure``:
      - ``"loglik"``: Dunning's log-likelihood G² (signed: positive = over-used in target),
        with ``p_value`` (chi² with 1 df);
      - ``"logodds"``: log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi &
        Quinn 2008), z-score; the prior is the pooled target+reference counts scaled to
        ``alpha0`` pseudo-counts (default: the pooled total, i.e. equal weight).
    ``min_count``: drop words with fewer occurrences in target + reference.

    Returns one row per word, sorted by ``keyness`` (most distinctive of the target first),
    columns ``term, target_count, reference_count, target_total, reference_total,
    target_per_1k, reference_per_1k, keyness, p_value, log_ratio`` (``log_ratio``: log2 of the
    relative-frequency ratio with +0.5 smoothing, an effect size).
    """
    if measure not in ("loglik", "logodds"):
        raise ValueError("measure must be 'loglik' or 'logodds'")
    if tokens is None:
        tokens = corpus.tokens if not isinstance(corpus, pd.DataFrame) else corpus
    if articles is None:
        if isinstance(corpus, pd.DataFrame):
            raise ValueError("keyness(tokens, ...) needs articles=")
        articles = corpus.articles
    if by not in articles.columns:
        raise ValueError(f"keyness: articles has no column {by!r}")
    tvals = [target] if not isinstance(target, (list, tuple, set)) else list(target)
    gvals = articles[by].astype(object)
    known = set(gvals.dropna())
    unknown = [v for v in tvals if v not in known]
    if unknown:
        raise ValueError(f"keyness: target {unknown!r} not found in articles[{by!r}]")
    in_t = set(articles.loc[gvals.isin(tvals), "article_id"].astype(object))
    if reference is None:
        in_r = set(articles.loc[~gvals.isin(tvals), "article_id"].astype(object))
    else:
        rvals = [reference] if not isinstance(reference, (list, tuple, set)) else list(reference)
        in_r = set(articles.loc[gvals.isin(rvals) & ~gvals.isin(tvals), "article_id"].astype(object))
    cols = ["term", "target_count", "reference_count", "target_total", "reference_total",
            "target_per_1k", "reference_per_1k", "keyness", "p_value", "log_ratio"]
    tok = tokens
    mask = pd.Series(True, index=tok.index)
    for flag in ("is_stop", "is_punct"):
        if flag in tok.columns:
            mask &= ~tok[flag].fillna(False).astype(bool)
    lower = tok["lower"].astype(str)
    mask &= lower.str.contains(_HAS_LETTER, regex=True) & (lower.str.len() > 1)
    mask &= ~lower.str.match(r"^['\u2019]")
    tok = tok[mask]
    aid = tok["article_id"].astype(object)
    words = tok["lower"].astype(str)
    ct = words[aid.isin(in_t).to_numpy()].value_counts()
    cr = words[aid.isin(in_r).to_numpy()].value_counts()
    df = pd.concat([ct.rename("target_count"), cr.rename("reference_count")], axis=1).fillna(0)
    if len(df) == 0 or not in_r:
        if not in_r:
            raise ValueError("keyness: the reference group has no articles")
        return pd.DataFrame({c: [] for c in cols})
    a = df["target_count"].to_numpy(float)
    b = df["reference_count"].to_numpy(float)
    c, d = a.sum(), b.sum()
    keep = (a + b) >= min_count
    df, a, b = df[keep], a[keep], b[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        if measure == "loglik":
            e1 = c * (a + b) / (c + d)
            e2 = d * (a + b) / (c + d)
            t1 = np.where(a > 0, a * np.log(np.where(a > 0, a, 1) / e1), 0.0)
            t2 = np.where(b > 0, b * np.log(np.where(b > 0, b, 1) / e2), 0.0)
            g2 = 2 * (t1 + t2)
            sign = np.where(a / c >= b / d, 1.0, -1.0)
            stat = sign * g2
            p = np.array([math.erfc(math.sqrt(max(x, 0.0) / 2)) for x in g2])
        else:
            pooled = a + b
            a0 = float(c + d) if alpha0 is None else float(alpha0)
            alpha = pooled * (a0 / (c + d))
            l1 = np.log((a + alpha) / (c + a0 - a - alpha))
            l2 = np.log((b + alpha) / (d + a0 - b - alpha))
            var = 1.0 / (a + alpha) + 1.0 / (b + alpha)
            stat = (l1 - l2) / np.sqrt(var)
            p = np.full(len(a), np.nan)
        log_ratio = np.log2(((a + 0.5) / (c + 0.5)) / ((b + 0.5) / (d + 0.5)))
    out = pd.DataFrame({
        "term": pd.Series(df.index.astype(str), dtype="string"),
        "target_count": a.astype("int64"), "reference_count": b.astype("int64"),
        "target_total": int(c), "reference_total": int(d),
        "target_per_1k": a * 1000.0 / c if c else 0.0,
        "reference_per_1k": b * 1000.0 / d if d else 0.0,
        "keyness": stat, "p_value": p, "log_ratio": log_ratio,
    })
    out = out.sort_values(["keyness", "target_count", "term"], ascending=[False, False, True],
                          kind="stable")
    return out.reset_index(drop=True)[cols]
