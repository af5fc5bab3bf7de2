"""Actors: who is in the story.

    codebook = ak.load_actors()                       # one row per actor (package default)
    mentions = ak.find_actors(corpus.sentences)       # one row per actor mention
    ak.discover_actors(corpus)                        # names the codebook lacks, with examples
    ak.cooccurrence(mentions, within="sentence")      # one row per pair of actors
    ak.actor_counts(mentions, corpus.articles, by="outlet")

How a mention is found (``mentions.method``):

* ``codebook``   an alias of a codebook actor ("Vladimir Putin", "Zelenskyy", "the Kremlin",
                 "U. S."), matched case-sensitively as whole words with one Aho-Corasick
                 automaton built once per codebook; the longest match wins ("Secretary of
                 State Marco Rubio" is one mention of Rubio, "New York Times" is the paper);
                 possessives ("Ushakov's", "Ushakov’s") are matched on the name only.
* ``surname``    a person's surname alone ("Ushakov"), resolved within the article to the
                 person the article names in full (codebook or discovered).
* ``title``      a role alone ("the Kremlin aide", "Ukraine's president"), resolved to the
                 person of the article who holds that role (from the codebook or from the
                 article's own "Kremlin aide Yuri Ushakov"); unresolved roles are not rows.
* ``discovered`` a person name the codebook lacks, found by patterns: a known given name
                 starting a capitalized run, an honorific or role before it ("spokesman Ivan
                 Petrov", "Mr Petrov"), an appositive after it ("Ivan Petrov, the deputy
                 minister"), a speech verb next to it ("said Ivan Petrov"), or a Slavic surname
                 ending. Bylines, photo and agency credits are skipped.

Capitals used as metonyms count as their country (see the header of ``data/actors.yaml``).
"""
from __future__ import annotations

import bisect
import functools
import hashlib
import operator
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ._chars import char_mapper
from ._data import read_data_text

try:  # pyahocorasick is a hard dependency; the fallback keeps the module importable
    import ahocorasick
except ImportError:  # pragma: no cover
    ahocorasick = None

__all__ = ["load_actors", "find_actors", "discover_actors", "cooccurrence", "actor_counts",
           "CodebookError", "MENTION_COLUMNS"]

MENTION_COLUMNS = ["article_id", "sentence_id", "start", "end", "surface", "actor", "kind",
                   "affiliation", "role", "is_official", "method"]
KINDS = ("person", "org", "country")
CODEBOOK_COLUMNS = ["actor", "kind", "affiliation", "aliases", "roles", "official", "title",
                    "first_name", "surname", "first_names", "surnames", "gender", "adjectives",
                    "capitals", "surname_alone", "line"]


class CodebookError(ValueError):
    """A malformed actor codebook; the message names the file, the entry and the line."""


# ------------------------------------------------------------------------------------------
# text folding: same-length character substitutions so offsets never move
# ------------------------------------------------------------------------------------------
_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00ad": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\u200a": " ",
})


_fold = char_mapper(_FOLD)   # = text.translate(_FOLD)


@functools.lru_cache(maxsize=1 << 16)
def _strip_accents(s: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return out.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")


def _lower_same_length(s: str) -> str:
    low = s.lower()
    if len(low) == len(s):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in s)


# ------------------------------------------------------------------------------------------
# loading the codebook
# ------------------------------------------------------------------------------------------
def _as_list(value, field, where):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        bad = [v for v in value if not isinstance(v, (str, int, float)) or isinstance(v, bool)]
        if bad:
            raise CodebookError(f"{where}: field {field!r} must be a list of strings, got {bad[0]!r}")
        return [str(v) for v in value if str(v).strip()]
    raise CodebookError(f"{where}: field {field!r} must be a list of strings, got {type(value).__name__}")


_ALLOWED_FIELDS = {"actor", "kind", "affiliation", "aliases", "roles", "official", "title",
                   "first", "last", "gender", "adjectives", "capitals", "surname_alone"}


def _parse_codebook(text: str, source: str) -> pd.DataFrame:
    import yaml

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(f"{source}:{line}: not valid YAML: {problem}") from None
    if not isinstance(data, dict) or "actors" not in data:
        raise CodebookError(f"{source}: line 1: an actor codebook needs a top-level 'actors:' list")
    entries = data["actors"]
    items_nodes = None
    for key_node, value_node in node.value:
        if getattr(key_node, "value", None) == "actors":
            items_nodes = getattr(value_node, "value", None)
            if not isinstance(entries, list):
                raise CodebookError(f"{source}: line {value_node.start_mark.line + 1}: "
                                    "'actors' must be a list of entries")
    if not isinstance(entries, list):
        raise CodebookError(f"{source}: 'actors' must be a list of entries")
    rows, seen = [], {}
    for i, entry in enumerate(entries):
        line = items_nodes[i].start_mark.line + 1 if items_nodes else 0
        name = entry.get("actor") if isinstance(entry, dict) else None
        where = f"{source}: entry {i + 1}" + (f" ({name!r})" if name else "") + f" at line {line}"
        if not isinstance(entry, dict):
            raise CodebookError(f"{where}: an entry must be a mapping with 'actor' and 'kind', got {entry!r}")
        unknown = set(entry) - _ALLOWED_FIELDS
        if unknown:
            raise CodebookError(f"{where}: unknown field(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_FIELDS)}")
        if not isinstance(name, str) or not name.strip():
            raise CodebookError(f"{where}: missing or empty 'actor' (the canonical name)")
        name = " ".join(name.split())
        kind = entry.get("kind")
        if kind not in KINDS:
            raise CodebookError(f"{where}: 'kind' must be one of {KINDS}, got {kind!r}")
        if name in seen:
            raise CodebookError(f"{where}: duplicate actor {name!r} (first at line {seen[name]})")
        seen[name] = line
        official = entry.get("official", kind != "person")
        if not isinstance(official, bool):
            raise CodebookError(f"{where}: 'official' must be true or false, got {official!r}")
        surname_alone = entry.get("surname_alone", True)
        if not isinstance(surname_alone, bool):
            raise CodebookError(f"{where}: 'surname_alone' must be true or false, got {surname_alone!r}")
        gender = entry.get("gender")
        if gender not in (None, "he", "she", "they"):
            raise CodebookError(f"{where}: 'gender' must be he, she or they, got {gender!r}")
        affiliation = entry.get("affiliation")
        if affiliation is not None and not isinstance(affiliation, str):
            raise CodebookError(f"{where}: 'affiliation' must be a string, got {affiliation!r}")
        title = entry.get("title")
        if title is not None and not isinstance(title, str):
            raise CodebookError(f"{where}: 'title' must be a string, got {title!r}")
        aliases = _as_list(entry.get("aliases"), "aliases", where)
        roles = _as_list(entry.get("roles"), "roles", where)
        firsts = _as_list(entry.get("first"), "first", where)
        lasts = _as_list(entry.get("last"), "last", where)
        if kind != "person" and (firsts or lasts):
            raise CodebookError(f"{where}: 'first'/'last' are for persons only")
        parts = name.split()
        if kind == "person" and not lasts and not aliases and len(parts) > 1:
            lasts = [parts[-1]]
            firsts = [" ".join(parts[:-1])]
        # the aliases column lists every spelling that is matched (not only the explicit ones)
        generated = [f"{fn} {ln}" for ln in lasts for fn in firsts] + (lasts if surname_alone else [])
        plain = [_strip_accents(a) for a in [name] + aliases + generated]
        aliases = [a for a in dict.fromkeys(aliases + generated + plain) if a != name]
        rows.append({
            "actor": name, "kind": kind, "affiliation": affiliation or (name if kind == "country" else None),
            "aliases": aliases, "roles": roles, "official": official,
            "title": title or (roles[0] if roles else None),
            "first_name": firsts[0] if firsts else (parts[0] if kind == "person" and len(parts) > 1 else None),
            "surname": lasts[0] if lasts else (parts[-1] if kind == "person" else None),
            "first_names": firsts, "surnames": lasts, "gender": gender,
            "adjectives": _as_list(entry.get("adjectives"), "adjectives", where),
            "capitals": _as_list(entry.get("capitals"), "capitals", where),
            "surname_alone": surname_alone, "line": line,
        })
    frame = pd.DataFrame(rows, columns=CODEBOOK_COLUMNS)
    # persons inherit the adjectives of their affiliation ("Ukrainian") for title resolution
    adj = {r["actor"]: r["adjectives"] for r in rows if r["kind"] == "country"}
    frame["adjectives"] = [a if a else list(adj.get(aff, [])) for a, aff in
                           zip(frame["adjectives"], frame["affiliation"])]
    frame.attrs["source"] = source
    return frame


@functools.lru_cache(maxsize=16)
def _load_cached(key: str, source: str, text: str) -> pd.DataFrame:  # key = content hash
    return _parse_codebook(text, source)


def _load_frame(path=None) -> pd.DataFrame:
    """The cached (shared, not to be mutated) codebook frame."""
    try:
        text, source = read_data_text(path, "actors.yaml")
    except FileNotFoundError:
        raise CodebookError(f"{path}: actor codebook not found") from None
    except UnicodeDecodeError as exc:
        raise CodebookError(f"{path}: actor codebook is not UTF-8 text ({exc})") from None
    key = hashlib.sha1(text.encode("utf-8")).hexdigest()
    return _load_cached(key, source, text)


def load_actors(path=None) -> pd.DataFrame:
    """Load an actor codebook (YAML); ``path=None`` loads the packaged ``data/actors.yaml``.

    Returns one row per actor with columns ``actor, kind (person/org/country), affiliation,
    aliases (list), roles (list), official (bool), title (the role shown by default),
    first_name, surname, first_names (list), surnames (list), gender (he/she or None),
    adjectives (list: the affiliation's demonyms, e.g. ["Ukrainian", "Ukraine's"]),
    capitals (list, countries), surname_alone (bool), line (line in the file)``.
    A malformed file raises :class:`CodebookError` naming the file, the entry and the line.
    """
    frame = _load_frame(path)
    out = frame.copy()
    for col in ("aliases", "roles", "first_names", "surnames", "adjectives", "capitals"):
        out[col] = [list(v) for v in out[col]]
    out.attrs = dict(frame.attrs)
    return out


def _resolve_codebook(codebook) -> pd.DataFrame:
    if codebook is None or isinstance(codebook, (str, Path)):
        return _load_frame(codebook)
    if isinstance(codebook, pd.DataFrame):
        return codebook
    frame = getattr(codebook, "frame", None)
    if isinstance(frame, pd.DataFrame):
        return frame
    raise TypeError(f"codebook must be None, a path or a frame from load_actors(), got {type(codebook).__name__}")


# ------------------------------------------------------------------------------------------
# word lists for discovery (package data names.yaml)
# ------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4)
def _word_lists(path: str | None = None) -> dict:
    import yaml

    text, source = read_data_text(path, "names.yaml")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodebookError(f"{source}: line {mark.line + 1 if mark else '?'}: not valid YAML") from None
    out = {}
    for key in ("first_names", "honorifics", "role_words", "official_role_words",
                "nonofficial_role_words", "not_name_words"):
        value = data.get(key, "") if isinstance(data, dict) else ""
        if not isinstance(value, str):
            raise CodebookError(f"{source}: '{key}' must be a whitespace-separated string")
        words = value.split()
        if key.endswith("role_words"):
            words = [w.lower() for w in words]
        out[key] = frozenset(words)
    return out


# ------------------------------------------------------------------------------------------
# the compiled matcher (built once per codebook content, cached)
# ------------------------------------------------------------------------------------------
_INITIALS_RE = re.compile(r"\b([A-Z])\.(?=[A-Z]\.)")
_LOCATIVE = frozenset("in at to from into near outside around across via toward towards inside "
                      "throughout within reached visited visit visiting arrived leave left flew "
                      "fly travel travelled traveled trip".split())
_PLACE_AFTER = frozenset("time times street airport region oblast metro suburbs suburb outskirts "
                         "residents resident mayor city-hall oblast's based born registered "
                         "headquartered area river".split())
_SPEECH_VERBS = frozenset("said says say told tells added adds noted notes stressed stresses warned "
                          "warns wrote writes argued argues insisted insists claimed claims "
                          "explained explains declared declares announced announces stated states "
                          "commented comments confirmed confirms denied denies suggested suggests "
                          "urged urges asked asks replied replies responded responds acknowledged "
                          "acknowledges admitted admits believes believed thinks thought posted "
                          "tweeted cautioned emphasised emphasized emphasizes emphasises reported "
                          "reports recalled predicted estimated observed contended continued".split())
_FORMER = frozenset("former ex- ex late then one-time onetime erstwhile outgoing previous".split())
_INDEF = frozenset("a an another one every each some any no two three several many other".split())
_PARTICLES = frozenset("von van der den de da di du del della la le bin ibn al el ben ter zu dos das "
                       "af av".split())
# words that are also surnames: part of a name only right after a given name ("Fiona Hill")
_SOFT_NOT_NAME = frozenset("Hill Green White Black Young Wall Hall Day Rose Bay King Post Lake Grant "
                           "Marshall Summers Winter Brown West North South Little Bell Park Price Rich "
                           "Church Castle Fox Bush Street Power Powers Field Fields Ford Law Gates "
                           "Sea Rice Cook Lee Long Short Strong Cross Major Chancellor Bishop Ward May".split())
_SLAVIC_SUFFIX = re.compile(r"(?:ov|ova|ev|eva|yov|yova|in|ina|yn|yna|sky|skyi|skiy|ski|ska|skaya|"
                            r"enko|ienko|chuk|yuk|uk|iuk|ich|vich|vych|yak|iak|ko|shvili|dze|yan|ian|"
                            r"ovych|ivna|ovna|evna|oglu|ić|ič|czyk|wicz|owski|ewski|ová)$")


class _Matcher:
    """Everything derived from one codebook: automata, role table, name lists."""

    def __init__(self, frame: pd.DataFrame, words: dict):
        self.words = words
        self.rows = []  # per actor index: dict
        alias_map: dict[str, list] = {}   # folded alias -> [(idx, how)]
        role_map: dict[str, set] = {}     # lower role phrase -> {idx}
        self.adj_to_country: dict[str, str] = {}
        self.country_affiliation: dict[str, str] = {}
        self.surname_to_idx: dict[str, set] = {}
        countries = {}

        def add_alias(alias, idx, how):
            alias = " ".join(_fold(alias).split())
            if not alias:
                return
            variants = {alias, _strip_accents(alias)}
            if "." in alias:
                spaced = _INITIALS_RE.sub(r"\1. ", alias)
                variants |= {spaced, alias.replace(".", ""), alias.replace(". ", ".")}
            for v in variants:
                if len(v) < 2:
                    continue
                lst = alias_map.setdefault(v, [])
                if not any(i == idx and h == how for i, h in lst):
                    lst.append((idx, how))

        for idx, r in enumerate(frame.to_dict("records")):
            row = {k: r.get(k) for k in ("actor", "kind", "affiliation", "official", "title", "gender")}
            row["official"] = bool(r.get("official")) if r.get("official") is not None else None
            row["firsts"] = set(_fold(f) for f in (r.get("first_names") or []))
            row["firsts"] |= {_strip_accents(f) for f in row["firsts"]}
            self.rows.append(row)
            kind = r["kind"]
            name = r["actor"]
            if kind == "country":
                countries[name] = r
                for a in r.get("adjectives") or []:
                    self.adj_to_country[_fold(a)] = name
                self.adj_to_country[_fold(name)] = name
                for a in r.get("aliases") or []:
                    self.adj_to_country.setdefault(_fold(a), name)
                    self.adj_to_country.setdefault(_fold(a) + "'s", name)
                self.adj_to_country[_fold(name) + "'s"] = name
            if kind == "person":
                add_alias(name, idx, "full")
                firsts = list(r.get("first_names") or [])
                lasts = list(r.get("surnames") or [])
                for ln in lasts:
                    for fn in firsts:
                        add_alias(f"{fn} {ln}", idx, "full")
                    if r.get("surname_alone", True):
                        add_alias(ln, idx, "surname")
                    self.surname_to_idx.setdefault(_fold(ln), set()).add(idx)
                    self.surname_to_idx.setdefault(_strip_accents(_fold(ln)), set()).add(idx)
                for a in r.get("aliases") or []:
                    how = "surname" if (len(a.split()) == 1 and a in lasts) else "full"
                    add_alias(a, idx, how)
            else:
                add_alias(name, idx, "full")
                for a in r.get("aliases") or []:
                    add_alias(a, idx, "full")
                for c in r.get("capitals") or []:
                    add_alias(c, idx, "capital")
        # roles: bare roles get the affiliation's variants
        roles_by_idx: dict[int, set] = {}
        for idx, r in enumerate(frame.to_dict("records")):
            if r["kind"] != "person":
                continue
            aff = r.get("affiliation")
            adjs = list(r.get("adjectives") or [])
            names = [aff] if aff else []
            if aff in countries:
                names += [a for a in countries[aff].get("aliases") or [] if len(a) > 2]
            for role in r.get("roles") or []:
                base = " ".join(_lower_same_length(_fold(role)).split())
                variants = {base}
                for adj in adjs:
                    variants.add(f"{adj} {role}")
                for n in names:
                    variants.add(f"{n}'s {role}")
                    variants.add(f"{role} of {n}")
                for v in variants:
                    key = " ".join(_lower_same_length(_fold(v)).split())
                    role_map.setdefault(key, set()).add(idx)
                    roles_by_idx.setdefault(idx, set()).add(key)
            # the affiliation's leader words used with the country ("the Russian leader")
        self.role_map = role_map
        self.roles_by_idx = roles_by_idx
        self.alias_map = alias_map
        self.alias_idxs = {k: tuple(dict.fromkeys(i for i, h in v)) for k, v in alias_map.items()}
        self.surnames_of: dict[int, list] = {}
        for sn, idxset in self.surname_to_idx.items():
            if " " not in sn:
                for i in idxset:
                    self.surnames_of.setdefault(i, []).append(sn)
        self.full_aliases: dict[int, set] = {}
        for alias, lst in alias_map.items():
            for i, how in lst:
                if how == "full" and " " in alias:
                    self.full_aliases.setdefault(i, set()).add(alias)
        # the tails of full aliases with several words ("Al Thani" of "Mohammed ... Al Thani")
        self.name_tails: dict[int, frozenset] = {
            i: frozenset(" ".join(toks[k:]) for toks in map(str.split, aliases) for k in range(1, len(toks)))
            for i, aliases in self.full_aliases.items()}
        self.automaton = _build_automaton(alias_map)
        # generic role words also feed the role automaton, so that "the minister" is seen
        generic = {}
        for w in words["role_words"]:
            generic.setdefault(w.lower(), set())
        self.role_automaton = _build_automaton({**generic, **role_map})
        # an alias or role containing _SEP would be cut by the joined-text scans (_Article)
        self.sep_free = not any("\x00" in k for k in [*alias_map, *generic, *role_map])
        self.namelike: dict[str, bool] = {}  # _namelike cache
        self.actor_index = {row["actor"]: i for i, row in enumerate(self.rows)}
        self.infos = [{"kind": row["kind"], "affiliation": row["affiliation"], "official": row["official"],
                       "title": row["title"]} for row in self.rows]
        self.adjectives = frozenset(self.adj_to_country)
        self.adj_lower = frozenset(_lower_same_length(a) for a in self.adj_to_country)
        self.not_name = words["not_name_words"] | frozenset(
            a for a in self.adj_to_country if " " not in a)
        firsts = words["first_names"] | frozenset(f for row in self.rows for f in row["firsts"] if " " not in f)
        self.all_first_names = firsts | frozenset(_strip_accents(f) for f in firsts)
        # "Christian Lindner", "Jan Lipavsky": given names that are also ordinary capitalized words
        self.ambiguous_first = self.all_first_names & self.not_name


def _build_automaton(mapping: dict):
    if ahocorasick is None:  # pragma: no cover - fallback: one compiled regex
        keys = sorted(mapping, key=len, reverse=True)
        return ("regex", re.compile("|".join(re.escape(k) for k in keys)) if keys else None, mapping)
    auto = ahocorasick.Automaton()
    for key, value in mapping.items():
        auto.add_word(key, (key, value))
    auto.make_automaton()
    return auto


def _iter_spans(automaton, text):
    """_iter_matches(automaton, text), faster."""
    if isinstance(automaton, tuple) or len(automaton) == 0:
        return _iter_matches(automaton, text)
    return ((end - len(key) + 1, end + 1, key, value) for end, (key, value) in automaton.iter(text))


def _iter_matches(automaton, text):
    """Yield (start, end, key, value) for every (overlapping) key occurrence in text."""
    if isinstance(automaton, tuple):  # pragma: no cover - regex fallback
        _, rx, mapping = automaton
        if rx is None:
            return
        for i in range(len(text)):
            m = rx.match(text, i)
            if m:
                yield m.start(), m.end(), m.group(0), mapping[m.group(0)]
        return
    if len(automaton) == 0:
        return
    for end, (key, value) in automaton.iter(text):
        yield end - len(key) + 1, end + 1, key, value


_FRAME_KEYS: dict = {}


def _frame_key(frame: pd.DataFrame) -> str:
    import weakref

    hit = _FRAME_KEYS.get(id(frame))
    if hit is not None and hit[0]() is frame and hit[1] == len(frame):
        return hit[2]
    key = _frame_key_compute(frame)
    try:
        _FRAME_KEYS[id(frame)] = (weakref.ref(frame), len(frame), key)
    except TypeError:  # pragma: no cover
        pass
    return key


def _frame_key_compute(frame: pd.DataFrame) -> str:
    cols = [c for c in ("actor", "kind", "affiliation", "aliases", "roles", "official", "title",
                        "first_names", "surnames", "adjectives", "capitals", "surname_alone")
            if c in frame.columns]
    payload = repr(frame[cols].to_dict("list")).encode("utf-8")
    return hashlib.sha1(payload).hexdigest()


_MATCHERS: dict = {}


def _matcher_for(frame: pd.DataFrame, names=None) -> _Matcher:
    _check_frame(frame)
    key = (_frame_key(frame), str(names))
    m = _MATCHERS.get(key)
    if m is None:
        if len(_MATCHERS) > 8:
            _MATCHERS.clear()
        m = _MATCHERS[key] = _Matcher(_complete_frame(frame), _word_lists(names))
    return m


def _check_frame(frame):
    missing = {"actor", "kind"} - set(frame.columns)
    if missing:
        raise CodebookError(f"actor codebook frame lacks column(s) {sorted(missing)} "
                            "(build it with ak.load_actors())")


def _listify(v) -> list:
    if isinstance(v, str):
        return [v] if v.strip() else []
    if v is None:
        return []
    if hasattr(v, "__iter__"):
        return [str(x) for x in v]
    return [] if pd.isna(v) else [str(v)]


def _complete_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Fill the optional columns of a user-built codebook frame."""
    f = frame.copy()
    for col in ("aliases", "roles", "first_names", "surnames", "adjectives", "capitals"):
        if col not in f.columns:
            f[col] = [[] for _ in range(len(f))]
        f[col] = [_listify(v) for v in f[col]]
    for col, default in (("affiliation", None), ("official", None), ("title", None),
                         ("gender", None), ("surname_alone", True)):
        if col not in f.columns:
            f[col] = default
    # persons without surnames: derive from the name
    f["surnames"] = [s if s or k != "person" or len(str(a).split()) < 2 else [str(a).split()[-1]]
                     for s, k, a in zip(f["surnames"], f["kind"], f["actor"])]
    f["first_names"] = [s if s or k != "person" or len(str(a).split()) < 2 else [" ".join(str(a).split()[:-1])]
                        for s, k, a in zip(f["first_names"], f["kind"], f["actor"])]
    return f


# ------------------------------------------------------------------------------------------
# credits, bylines: spans that are not story text
# ------------------------------------------------------------------------------------------
_AGENCIES = (r"AFP|Reuters|AP|Getty Images|Getty|EPA|EPA-EFE|Anadolu(?: Agency)?|Sputnik|TASS|Pool|"
             r"Bloomberg|Shutterstock|Xinhua|DPA|dpa|Ukrinform|RIA Novosti|Kremlin Pool|AP Photo|"
             r"Alamy|NurPhoto|SOPA Images|LightRocket|Sipa|ZUMA|Zuma|UPI|Abaca|PA|PA Images|"
             r"Presidential Press Service|Press Office|Handout|Kremlin\.ru|Ukrainian Presidential Press Service")
_CREDIT_RES = [
    re.compile(r"\(?\b(?:Photo(?:graph)?s?|Pictures?|Images?|Video|Credit|Illustration|Source)\s*"
               r"(?:by|credit)?\s*[:|]\s*[^()\n]*?(?=\)|$|\n|\.\s+[A-Z][a-z])"),
    re.compile(r"\(?\b(?:Photo(?:graph)?|Picture|Image|Video)\s+by\s+[^()\n]*?(?=\)|$|\n|\.\s+[A-Z][a-z])"),
    re.compile(r"(?:[A-Z][\w.'-]*\s+){0,3}[A-Z][\w.'-]*\s*/\s*(?:" + _AGENCIES + r")\b"
               r"(?:\s*/\s*[A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)*(?:\s+via\s+[A-Z][\w ]+)?"),
    re.compile(r"\b(?:" + _AGENCIES + r")\s+Photos?\s*/\s*[^)\n]*"),
    re.compile(r"\((?:" + _AGENCIES + r")\)"),
    re.compile(r"\b(?:via|for)\s+(?:Getty Images|Reuters|AFP|AP)\b"),
    re.compile(r"(?:^|\b)(?:[Ww]ritten|[Rr]eporting|[Ee]diting|[Ee]dited|[Cc]ompiled|[Aa]dditional reporting|"
               r"[Rr]eported|[Pp]roduced|[Ff]act-checked|[Tt]ranslated)\s+by\s+[^;()\n]*"),
    re.compile(r"^\s*[\"'“]?By\s+(?:[A-Z][\w.'-]*(?:\s+|,\s*|\s+and\s+|\s*&\s*)?){1,8}"
               r"(?=$|\n|[|•·—–-]|\s*(?:for|in|,)\b|\s+[A-Z]{2,})"),
    re.compile(r"©[^\n]*"),
    re.compile(r"\b(?:Follow|Contact)\s+(?:[A-Z][\w.'-]*\s*){1,3}(?:on|at)\s+(?:Twitter|X|Instagram|Facebook|@)[^\n]*"),
]


_NAME = r"[A-Z][\w.'\-]*(?:\s+(?:[A-Z][\w.'\-]*|van|von|de|der|al|bin)){1,3}"
_PLACE = r"(?:\s+(?:in|at|for)\s+[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)?"
_BYLINE_ONLY = re.compile(r"^\s*(?:By:?\s+)?" + _NAME + _PLACE + r"(?:\s*(?:,|and|&)\s*" + _NAME + _PLACE + r")*"
                          r"\s*[.|]?\s*$")
_SIGNOFF = re.compile(r"\b(?:[Tt]his is|I'm|I am|[Mm]y name is)\s+" + _NAME.replace("{1,3}", "{0,3}")
                      + r"|^\s*(?:From|Via)\s+(?:[A-Z][\w.\-]*\s*){1,4}'s\s+" + _NAME + r"(?:\s*(?:,|and)\s*" + _NAME + r")*")
_BYLINE_ROLE = re.compile(r"^\s*(?:By\s+)?" + _NAME + r"\s*(?:,|\||—|–|-)\s*(?:[A-Z][\w'\-]*\s+){0,4}"
                          r"(?:[a-z]+\s+)?(?:correspondent|reporter|editor|writer|journalist|columnist|contributor|"
                          r"bureau chief|producer|analyst|staff writer|in [A-Z]\w+)s?\b[^.!?]{0,40}$")
_CONTRIBUTED = re.compile(r"\b(?:contributed|contributing)(?:\s+(?:to|reporting|additional)[\w\s]*)?\.?\s*$"
                          r"|\b(?:writers?|reporters?|correspondents?|staff)\b[^.]*\bcontributed\b")


# a credit may be in the sentence (the definition; _has_credit_hint is the fast form)
_CREDIT_HINT = re.compile(r"Photo|Picture|Image|Video|Credit|Illustration|Source|/|\(|[Bb]y\b|©|Follow|Contact|"
                          r"contribut|[Tt]his is|I'm|I am|[Nn]ame is|^\s*(?:From|Via)\b")
# _CREDIT_HINT split in two: every alternative of the first starts with a literal, so the
# regex engine skips ahead with a character set (~10x faster); the anchored one is a match()
_CREDIT_HINT_ANY = re.compile(r"Photo|Picture|Image|Video|Credit|Illustration|Source|/|\(|By\b|by\b|©|Follow|"
                              r"Contact|contribut|This is|this is|I'm|I am|Name is|name is")
_CREDIT_HINT_START = re.compile(r"\s*(?:From|Via)\b")


def _has_credit_hint(text: str) -> bool:
    """``bool(_CREDIT_HINT.search(text))``."""
    return _CREDIT_HINT_ANY.search(text) is not None or _CREDIT_HINT_START.match(text) is not None


def _excluded_spans(text: str, kind=None, hint: bool | None = None) -> list[tuple[int, int]]:
    """Credit and byline spans of a sentence; ``hint``: ``_has_credit_hint(text)`` if known."""
    spans = []
    short = kind != "headline" and len(text) < 120
    if short and _BYLINE_ROLE.match(text):
        return [(0, len(text))]
    if short and "'" not in text and _BYLINE_ONLY.match(text):
        return [(0, len(text))]
    if hint is None:
        hint = _has_credit_hint(text)
    if not hint:
        return spans
    if "contribut" in text and _CONTRIBUTED.search(text):
        return [(0, len(text))]
    if any(n in text for n in _SIGNOFF_NEEDS):
        for mm in _SIGNOFF.finditer(text):
            spans.append((mm.start(), mm.end()))
    for rx, needs in zip(_CREDIT_RES, _CREDIT_NEEDS):
        if not any(n in text for n in needs):
            continue  # the pattern cannot match without one of these strings
        for m in rx.finditer(text):
            if m.end() > m.start():
                spans.append((m.start(), m.end()))
    return spans


# literal strings one of which every match of _SIGNOFF / _CREDIT_RES[i] contains
_SIGNOFF_NEEDS = ("his is", "I'm", "I am", "y name is", "From", "Via")
_CREDIT_NEEDS = [("Photo", "Picture", "Image", "Video", "Credit", "Illustration", "Source"),
                 ("Photo", "Picture", "Image", "Video"), ("/",), ("/",), ("(",), ("Getty Images", "Reuters", "AFP", "AP"),
                 ("ritten", "eporting", "diting", "dited", "ompiled", "eported", "roduced", "act-checked", "ranslated"),
                 ("By",), ("©",), ("Follow", "Contact")]


def _overlaps(a0, a1, spans):
    return any(a0 < b1 and b0 < a1 for b0, b1 in spans)


# ------------------------------------------------------------------------------------------
# tokens for discovery
# ------------------------------------------------------------------------------------------
_WORD_RE = re.compile(r"[^\W\d_][\w'\-]*(?:\.(?=[^\W\d_])[\w'\-]*)*\.?")


# a capitalized word ("al-" / "el-" prefixed too) or a name particle before a space; the
# word-start lookbehind is written once, before the alternatives (same matches as
# "(?<!...)(?:(?:al|el)-)?[A-Z]...|(?<!...)(?:von|...)", the form the tests compare with)
_CAP_TAIL = r"[\w'\-]*(?:\.(?=[^\W\d_])[\w'\-]*)*\.?"
_CAP_RE = re.compile(r"(?<![\w'\-])(?:(?:al|el)-[^\W\d_a-z]" + _CAP_TAIL + r"|[^\W\d_a-z]" + _CAP_TAIL
                     + r"|(?:von|van|der|den|de|da|di|du|del|della|la|le|bin|ibn|al|el|ben|ter|zu|dos|das)(?=\s))")


def _capwords(s) -> list:
    """The capitalized words (and name particles) of a sentence, cached on the sentence."""
    if s.capw is None:
        s.capw = _capwords_of(s.text)
    return s.capw


def _capwords_of(text: str) -> list:
    """(start, end, word, possessive) of the capitalized words and particles of a text: the
    ``_words(text, _CAP_RE)`` kept by ``_is_cap`` or ``_PARTICLES``."""
    out = []
    for mm in _CAP_RE.finditer(text):
        hit = _capword_cached(mm.group())
        if hit:
            st = mm.start()
            out.append((st, st + len(hit[0]), hit[0], hit[1]))
    return out


def _capword_cached(token: str):
    hit = _CAPWORD_CACHE.get(token)
    if hit is None:
        if len(_CAPWORD_CACHE) > 200_000:
            _CAPWORD_CACHE.clear()
        hit = _CAPWORD_CACHE[token] = _capword(token)
    return hit


_CAPWORD_CACHE: dict = {}


def _capword(token: str):
    """(word, possessive) of one ``_CAP_RE`` match as ``_words`` trims it, or () if the
    trimmed word is not kept (not capitalized, not a particle, or empty)."""
    for _, e, w, poss in _words(token, _WHOLE_RE):
        if _is_cap(w) or w in _PARTICLES:
            return (w, poss)
    return ()


_WHOLE_RE = re.compile(r".+", re.S)  # ``_words`` over one already-matched token


def _words(text: str, rx=_WORD_RE):
    """Yield (start, end, word, possessive) with possessive 's and sentence dots removed."""
    for m in rx.finditer(text):
        s, e = m.start(), m.end()
        w = m.group(0)
        poss = False
        if w.endswith("."):
            core = w[:-1]
            if len(core) > 1 and "." not in core and not (core[0].isupper() and len(core) <= 3 and core in
                                                            ("Mr", "Mrs", "Ms", "Dr", "Gen", "Col", "Lt", "Sen", "Rep",
                                                             "Gov", "Jr", "Sr", "St", "Maj", "Adm", "Sgt", "Capt", "Rev")):
                w, e = core, e - 1
        if w.endswith("'s") and len(w) > 2:
            w, e, poss = w[:-2], e - 2, True
        elif w.endswith("'") and len(w) > 1:
            w, e, poss = w[:-1], e - 1, True
        w2 = w.rstrip("-'")
        e -= len(w) - len(w2)
        if w2:
            yield s, e, w2, poss


def _is_cap(word: str) -> bool:
    if word[:3] in ("al-", "el-") and len(word) > 3:
        return word[3].isupper()
    if word[:2] in ("O'", "D'") and len(word) > 2:
        return True
    return word[0].isupper()


def _namelike(word: str, m: _Matcher) -> bool:
    hit = m.namelike.get(word)
    if hit is None:
        if len(m.namelike) > 200_000:
            m.namelike.clear()
        hit = m.namelike[word] = _namelike_uncached(word, m)
    return hit


def _namelike_uncached(word: str, m: _Matcher) -> bool:
    if not _is_cap(word) or any(ch.isdigit() for ch in word):
        return False
    if word in m.not_name or word.rstrip(".") in m.not_name or word in m.words["honorifics"]:
        return False
    if word.lower() in m.words["role_words"]:
        return False
    letters = [c for c in word if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters) and word not in m.all_first_names \
            and not re.fullmatch(r"(?:[A-Z]\.){1,3}", word):
        return False  # NATO, RDIF, USA: acronyms are not names
    return True


def _is_initial(word: str) -> bool:
    return bool(re.fullmatch(r"(?:[A-Z]\.){1,3}|[A-Z]\.?", word))


# ------------------------------------------------------------------------------------------
# find_actors
# ------------------------------------------------------------------------------------------
def find_actors(sentences, *, codebook=None, discover=True, names=None) -> pd.DataFrame:
    """Find actor mentions in sentences.

    One row per mention; columns ``article_id, sentence_id, start, end, surface, actor, kind
    (person/org/country), affiliation, role, is_official, method
    (codebook/surname/title/discovered)``. ``start``/``end`` are offsets into
    ``articles.text`` (``sentence.start`` + offset in the sentence), so
    ``articles.text[start:end] == surface``; possessives cover the name only.

    ``codebook``: None (the packaged codebook), a path, or a frame from :func:`load_actors`.
    ``discover``: also report person names the codebook lacks (``method="discovered"``).
    ``names``: a custom word-list file for discovery (default ``data/names.yaml``).
    """
    _check_sentences(sentences)
    frame = _resolve_codebook(codebook)
    m = _matcher_for(frame, names)
    rows: list[tuple] = []
    if len(sentences):
        sents = sentences[["article_id", "sentence_id", "start", "text"]]
        if "kind" in sentences.columns:
            kinds = sentences["kind"].astype("object").tolist()
        else:
            kinds = [None] * len(sentences)
        aids = sents["article_id"].tolist()
        sids = sents["sentence_id"].tolist()
        keys = list(zip(map(str, aids), map(int, sids)))
        order = sorted(range(len(sents)), key=keys.__getitem__)
        starts = sents["start"].tolist()
        texts = sents["text"].tolist()
        current, batch = None, []
        for i in order:
            if aids[i] != current and batch:
                rows.extend(_article_mentions(batch, m, discover))
                batch = []
            current = aids[i]
            batch.append((aids[i], int(sids[i]), int(starts[i]), "" if texts[i] is None else str(texts[i]), kinds[i]))
        if batch:
            rows.extend(_article_mentions(batch, m, discover))
    return _mentions_frame(rows, sentences["article_id"].dtype)


def _check_sentences(sentences):
    if not isinstance(sentences, pd.DataFrame):
        raise TypeError(f"find_actors expects the sentences frame (a DataFrame), got {type(sentences).__name__}")
    missing = {"article_id", "sentence_id", "start", "text"} - set(sentences.columns)
    if missing:
        raise ValueError(f"sentences frame lacks column(s) {sorted(missing)}; "
                         "expected article_id, sentence_id, start, end, text (docs/design.md)")


def _mentions_frame(rows, id_dtype="string") -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    df = df.astype({"start": "int64", "end": "int64", "sentence_id": "int64"})
    if id_dtype is not None:
        try:
            df["article_id"] = df["article_id"].astype(id_dtype)
        except (TypeError, ValueError):  # pragma: no cover - keep what we have
            pass
    for col in ("surface", "actor", "affiliation", "role"):
        df[col] = df[col].astype("string")
    df["is_official"] = df["is_official"].astype("boolean")
    df["kind"] = pd.Categorical(df["kind"], categories=list(KINDS))
    df["method"] = pd.Categorical(df["method"], categories=["codebook", "surname", "title", "discovered"])
    return df.reset_index(drop=True)


_LONG_WORD_RE = re.compile(r"[^\W\d_]{4,}")


def _is_title_case(text: str, lower_vocab, need: int = 2) -> bool:
    """Headline-style Title Case ("Putin Says Talks Were Useful"): most long words capitalized,
    and some of them are ordinary words the article also writes in lower case."""
    ws = _LONG_WORD_RE.findall(text)  # the runs of letters longer than 3
    if len(ws) < 4:
        return False
    caps = [w for w in ws if w[0].isupper()]
    if len(caps) / len(ws) <= 0.75:
        return False
    short = [w for w in re.findall(r"\b[A-Z][a-z]{2}\b", text) if w.lower() in lower_vocab]
    return sum(1 for w in caps if w.lower() in lower_vocab) + len(short) >= need


_FOUR_LOWER_RE = re.compile(r"[a-z][^a-z]*[a-z][^a-z]*[a-z][^a-z]*[a-z]")


def _is_all_caps(text: str) -> bool:
    if _FOUR_LOWER_RE.search(text, 0, 200):  # more than 3 of [a-z] in text[:200]
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) > 8 and sum(c.isupper() for c in letters) / len(letters) > 0.9


_PREV_WORD_RE = re.compile(r"([\w'.\-]+)\s*$")  # what _prev_word finds (without this regex)
_NEXT_WORD_RE = re.compile(r"\s*([\w'\-]+)")


def _prev_word(text: str, pos: int) -> str:
    """The word before pos: ``_PREV_WORD_RE.search(text[max(0, pos - 48):pos]).group(1)`` (or "")
    without trying the regex at every position: the run of word characters, ' . and - before
    the trailing spaces."""
    w = text[max(0, pos - 48):pos].rstrip()  # rstrip() and \s agree on what is a space
    i = len(w)
    while i and (w[i - 1].isalnum() or w[i - 1] in "_'.-"):  # isalnum() or "_" is \w
        i -= 1
    return w[i:]


def _next_word(text: str, pos: int) -> str:
    mm = _NEXT_WORD_RE.match(text, pos)
    return mm.group(1) if mm else ""


_START_CHARS = " \"'“”‘’«»([—–-"  # what may precede the first word of a sentence


class _Sent:
    __slots__ = ("aid", "sid", "base", "raw", "text", "kind", "low", "excl", "spans", "title_case",
                 "all_caps", "byline_only", "capw", "lead", "role_matches")

    def __init__(self, aid, sid, base, text, kind, folded=None, low=None, hint=None):
        # folded, low, hint: _fold(text), its _lower_same_length, _has_credit_hint, if known
        self.aid, self.sid, self.base, self.kind = aid, sid, base, kind
        self.raw = text
        self.capw = None  # _capwords
        self.role_matches = None  # role automaton matches in low (_Article.fill_role_matches)
        self.text = t = _fold(text) if folded is None else folded
        self.low = _lower_same_length(t) if low is None else low
        if hint is False and (kind == "headline" or len(t) >= 120):
            self.excl = []  # what _excluded_spans says without a credit hint and a short text
        else:
            self.excl = _excluded_spans(t, kind, hint)
        self.byline_only = bool(self.excl) and self.excl == [(0, len(t))] and not _CONTRIBUTED.search(t)
        self.spans = []  # accepted mention dicts (local offsets)
        self.title_case = None  # computed on demand (_title_case: needs the article's lower-case vocabulary)
        self.all_caps = _FOUR_LOWER_RE.search(t, 0, 200) is None and _is_all_caps(t)
        self.lead = len(t) - len(t.lstrip(_START_CHARS))  # see _is_sentence_start


def _title_case(s: _Sent, lower_vocab) -> bool:
    if s.title_case is None:
        s.title_case = (s.kind == "headline" or len(s.text) < 200) and _is_title_case(
            s.text, lower_vocab, 1 if s.kind in ("headline", "subheading") or s.sid == 0 else 2)
    return s.title_case


# The sentences of an article are scanned as one text, joined by _SEP, with one regex or
# automaton pass instead of one per sentence. _SEP is in no pattern class, alias or role, and
# every pattern used on the joined text treats it like the edge of the string (not a word
# character, not whitespace, not a letter, not "." "'" "-"), so no match crosses it and every
# sentence gets the matches it gets alone. Texts that contain _SEP take the per-sentence path.
_SEP = "\x00"
_LOWER_WORD_RE = re.compile(r"\b[a-z][a-z'\-]+\b")
_LOWER_TOKEN_RE = re.compile(r"[a-z][a-z'\-]+")
_LOWER_RUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz'-")


class _LowerVocab:
    """``set(_LOWER_WORD_RE.findall(text))`` over some texts, for ``in`` tests only: the few
    words asked about are looked up in the texts (and remembered) instead of listing them all."""
    __slots__ = ("texts", "memo")

    def __init__(self, texts):
        self.texts = texts
        self.memo: dict[str, bool] = {}

    def __contains__(self, word) -> bool:
        hit = self.memo.get(word)
        if hit is None:
            hit = self.memo[word] = (isinstance(word, str) and _LOWER_TOKEN_RE.fullmatch(word) is not None
                                     and any(_is_lower_token(t, word) for t in self.texts))
        return hit


def _is_lower_token(text: str, word: str) -> bool:
    """Is ``word`` one of ``_LOWER_WORD_RE.findall(text)``?"""
    i = text.find(word)
    while i >= 0:
        if i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"):  # \b before a letter
            # findall reaches the start r of this run of [a-z'-] characters without being inside
            # a match (matches are made of those characters), so scanning from r sees what it sees
            r = i
            while r > 0 and text[r - 1] in _LOWER_RUN_CHARS:
                r -= 1
            mm = _LOWER_WORD_RE.search(text, r)
            while mm is not None and mm.start() < i:
                mm = _LOWER_WORD_RE.search(text, mm.end())
            if mm is not None and mm.start() == i and mm.group() == word:
                return True
        i = text.find(word, i + 1)
    return False


class _Article:
    """The sentences (``_Sent``) of one article and their joined texts."""

    def __init__(self, batch, m: _Matcher):
        texts = [b[3] for b in batch]
        raw = _SEP.join(texts)
        self.joined = m.sep_free and raw.count(_SEP) == len(texts) - 1
        if not self.joined:
            self.sents = [_Sent(*b) for b in batch]
            return
        starts, pos = [], 0
        for t in texts:
            starts.append(pos)
            pos += len(t) + 1
        text = _fold(raw)
        folded = texts if text is raw else text.split(_SEP)
        low = text.lower()
        # lower() maps every character to one or more: same total length, same per sentence
        lows = low.split(_SEP) if len(low) == len(text) else [None] * len(texts)
        hinted = {bisect.bisect_right(starts, mm.start()) - 1 for mm in _CREDIT_HINT_ANY.finditer(text)}
        may_start = "From" in text or "Via" in text
        self.sents = [_Sent(b[0], b[1], b[2], b[3], b[4], f, lw,
                            k in hinted or (may_start and _CREDIT_HINT_START.match(f) is not None))
                      for k, (b, f, lw) in enumerate(zip(batch, folded, lows))]
        self.text = text
        self.low = low if lows[0] is not None else _SEP.join(s.low for s in self.sents)
        self.starts = starts

    def lower_vocab(self) -> "_LowerVocab":
        """The lower-case words of the article (for title case and common-word checks)."""
        return _LowerVocab([self.text] if self.joined else [s.text for s in self.sents])

    def _bucket(self, matches):
        """{sentence index: [(start, end, key, value)]} in sentence offsets, from matches in
        the joined text (by non-decreasing sentence)."""
        out: dict[int, list] = {}
        starts = self.starts
        last = len(starts) - 1
        k, nxt = 0, (starts[1] if last else None)
        for st, en, key, value in matches:
            while nxt is not None and st >= nxt:
                k += 1
                nxt = starts[k + 1] if k < last else None
            b = starts[k]
            lst = out.get(k)
            if lst is None:
                lst = out[k] = []
            lst.append((st - b, en - b, key, value))
        return out

    def alias_cands(self, m: _Matcher) -> dict:
        """{sentence index: [(start, end, key, value)]}: codebook aliases standing as whole words
        (all-caps sentences are scanned in title case)."""
        if not self.joined:
            out = {}
            for k, s in enumerate(self.sents):
                cands = _alias_cands(_alias_scan_text(s), m)
                if cands:
                    out[k] = cands
            return out
        scan = self.text
        if any(s.all_caps for s in self.sents):
            scan = _SEP.join(_alias_scan_text(s) for s in self.sents)
        return self._bucket(_whole_word_matches(m.automaton, scan))

    def fill_capwords(self):
        if not self.joined or self.sents[0].capw is not None:
            return  # per sentence, on demand
        lists = [[] for _ in self.sents]
        starts = self.starts
        last = len(starts) - 1
        k, nxt = 0, (starts[1] if last else None)
        cached = _CAPWORD_CACHE.get
        for mm in _CAP_RE.finditer(self.text):
            g = mm.group()
            hit = cached(g)
            if hit is None:
                hit = _capword_cached(g)
            if hit:
                st = mm.start()
                while nxt is not None and st >= nxt:
                    k += 1
                    nxt = starts[k + 1] if k < last else None
                st -= starts[k]
                lists[k].append((st, st + len(hit[0]), hit[0], hit[1]))
        for s, lst in zip(self.sents, lists):
            s.capw = lst

    def fill_role_matches(self, m: _Matcher):
        """s.role_matches: every role automaton match in s.low, in automaton order."""
        if self.sents[0].role_matches is not None:
            return
        if not self.joined:
            for s in self.sents:
                s.role_matches = list(_iter_spans(m.role_automaton, s.low))
            return
        by_sent = self._bucket(_iter_spans(m.role_automaton, self.low))
        for k, s in enumerate(self.sents):
            s.role_matches = by_sent.get(k, [])


def _alias_scan_text(s: _Sent) -> str:
    if s.all_caps:
        tc = s.text.title()
        return tc if len(tc) == len(s.text) else s.text
    return s.text


def _alias_cands(scan: str, m: _Matcher) -> list:
    return list(_whole_word_matches(m.automaton, scan))


def _whole_word_matches(automaton, scan: str):
    """The alias matches (start, end, key, value) of scan standing as whole words."""
    n = len(scan)
    for st, en, key, value in _iter_spans(automaton, scan):
        if st > 0 and (scan[st - 1].isalnum() or scan[st - 1] in "_@#"):
            continue
        if en < n and (scan[en].isalnum() or scan[en] in "_$"):
            continue
        yield st, en, key, value


def _article_mentions(batch, m: _Matcher, discover: bool, weak_out: list | None = None) -> list[tuple]:
    """The mention rows (tuples in MENTION_COLUMNS order) of one article's sentences."""
    art = _Article(batch, m)
    sents = art.sents
    lower_vocab = art.lower_vocab()
    named: dict[int, dict] = {}  # codebook idx -> info about full-name mentions in article
    # 1) codebook aliases
    for k, cands in sorted(art.alias_cands(m).items()):
        s = sents[k]
        scan = _alias_scan_text(s)
        if s.excl == [(0, len(s.text))] and s.byline_only:
            # "Keir Starmer and Emmanuel Macron." is a sentence about them, not a byline
            if any(m.rows[v[0][0]]["kind"] == "person" for _, _, _, v in cands):
                s.excl = []
        if s.excl:
            cands = [c for c in cands if not _overlaps(c[0], c[1], s.excl)]
        if len(cands) > 1:
            cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken = []
        for st, en, key, value in cands:
            if taken and _overlaps(st, en, taken):
                continue
            taken.append((st, en))
            choices = value
            how = choices[0][1]
            idxs = list(m.alias_idxs[key])
            if how == "capital":
                prev = _prev_word(s.text, st).lower()
                nxt = _next_word(s.text, en).lower()
                if s.text[en:en + 1] == "-":
                    nxt = _next_word(s.text, en + 1).lower()  # "Kyiv-based", "Moscow-born"
                if prev in _LOCATIVE or nxt in _PLACE_AFTER:
                    s.spans.append({"st": st, "en": en, "skip": True})
                    continue
            mention = {"st": st, "en": en, "idxs": idxs, "how": how}
            if how == "full" and m.rows[idxs[0]]["kind"] != "person" and scan[st:en] in m.all_first_names:
                # "Jordan Bardella", "Georgia Smith": a given name that is also a country
                nw = _next_word(s.text, en)
                if re.match(r" [^\W\d_]", s.text[en:en + 2]) and nw[:1].isupper() and _namelike(nw, m) \
                        and nw not in m.alias_map:
                    s.spans.append({"st": st, "en": en + 1 + len(nw), "how": "newperson",
                                    "name": f"{scan[st:en]} {nw}"} if discover else
                                   {"st": st, "en": en + 1 + len(nw), "skip": True})
                    continue
            if how == "surname":
                # a different person with the same surname: "Eric Trump", "Hunter Biden"
                pw = _prev_word(s.text, st)
                gap = s.text[st - len(pw) - 1:st] if pw else ""
                # (the checks below in the order of the original single condition, each one
                # computed only when the ones before it hold)
                given_like = pw and gap.endswith(" ") and (pw in m.all_first_names or (
                    _namelike(pw, m) and pw.lower() not in lower_vocab and pw not in m.alias_map
                    and not _is_sentence_start(s, st - len(pw) - 1) and not pw.endswith("'s")))
                same_initial = given_like and any(_strip_accents(f)[:1] == _strip_accents(pw)[:1]
                                                  for i in idxs for f in m.rows[i]["firsts"])
                if given_like and not same_initial and not any(
                        pw in m.rows[i]["firsts"] or any(pw in f.split() for f in m.rows[i]["firsts"]) for i in idxs) \
                        and pw not in m.words["honorifics"] and pw not in m.not_name:
                    mention = {"st": st - len(pw) - 1, "en": en, "how": "newperson",
                               "name": f"{pw} {s.text[st:en]}"}
            if mention["how"] == "newperson" and not discover:
                mention = {"st": mention["st"], "en": mention["en"], "skip": True}
            s.spans.append(mention)
            if how == "full" and len(idxs) >= 1:
                for i in idxs:
                    named.setdefault(i, {"first": (s.sid, st)})
    # ambiguous full aliases (rare) and surnames resolve to persons named in full
    for s in sents:
        for mention in s.spans:
            if mention.get("skip") or mention.get("how") == "newperson":
                continue
            idxs = mention["idxs"]
            if len(idxs) == 1:
                mention["idx"] = idxs[0]
                continue
            inart = [i for i in idxs if i in named]
            if len(inart) == 1:
                mention["idx"] = inart[0]
            else:
                mention["idx"] = None  # ambiguous: dropped below
    # 2) discovery of uncoded persons
    discovered = {}
    if discover:
        art.fill_capwords()
        discovered = _discover_in_article(sents, m, lower_vocab, weak_out)
        # "Al Thani" after "Mohammed bin Abdulrahman Al Thani": the tail of a coded person's name
        persons = [i for i in named if m.rows[i]["kind"] == "person"] if discovered else []
        for name in list(discovered):
            hit = [i for i in persons if name in m.name_tails.get(i, ())]
            if len(hit) == 1:
                idx = hit[0]
                for s in sents:
                    s.spans = [x for x in s.spans if not (x.get("how") == "discovered" and x.get("name") == name)]
                for s_, st_, en_ in discovered[name]["spans"]:
                    s_.spans.append({"st": st_, "en": en_, "idx": idx, "how": "surname"})
                del discovered[name]
    # 3) surnames of persons named in full whose surname alone is not an alias
    #    (and of discovered persons)
    surname_targets: dict[str, tuple] = {}
    for i in named:
        if m.rows[i]["kind"] != "person":
            continue
        for sn in m.surnames_of.get(i, ()):
            surname_targets.setdefault(sn, ("cb", i))
    for full, info in discovered.items():
        last = info["last"]
        if last not in surname_targets:
            surname_targets[last] = ("disc", full)
        elif surname_targets[last] != ("disc", full):
            surname_targets[last] = ("ambiguous", None)
    if surname_targets:
        art.fill_capwords()
        for s in sents:
            if s.all_caps:
                continue
            occupied = None
            for st, en, w, poss in _capwords(s):
                if w not in surname_targets:
                    continue
                if occupied is None:
                    occupied = [(x["st"], x["en"]) for x in s.spans]
                if _overlaps(st, en, occupied) or _overlaps(st, en, s.excl):
                    continue
                tgt = surname_targets[w]
                if tgt[0] == "ambiguous":
                    continue
                if w in m.not_name:
                    # "May" the month: only with an honorific or title right before it
                    if _prev_word(s.text, st) not in m.words["honorifics"]:
                        continue
                if w in m.words["honorifics"] and _next_word(s.text, en)[:1].isupper():
                    continue  # "Major General X" is a title, not John Major
                if tgt[0] == "cb":
                    s.spans.append({"st": st, "en": en, "idx": tgt[1], "how": "surname"})
                else:
                    s.spans.append({"st": st, "en": en, "how": "disc-surname", "name": tgt[1]})
    # 4) roles: titles before names, appositives, and title-only mentions
    return _emit(art, m, named, discovered)


# ------------------------------------------------------------------------------------------
# discovery
# ------------------------------------------------------------------------------------------
def _runs(s: _Sent, m: _Matcher):
    """Capitalized name-like runs outside mentions and credits: list of [(st, en, word, poss)]."""
    words = _capwords(s)
    if not words:
        return [], words
    occupied = None
    namelike = m.namelike
    ambiguous_first = m.ambiguous_first
    runs, cur = [], []
    for k, (st, en, w, poss) in enumerate(words):
        nl = namelike.get(w)
        if nl is None:
            nl = _namelike(w, m)
        if not cur and not nl and w not in ambiguous_first:
            continue  # starts no run, and there is no run to end
        if occupied is None:
            occupied = [(x["st"], x["en"]) for x in s.spans] + s.excl
        ok = True
        for b0, b1 in occupied:  # not _overlaps(st, en, occupied)
            if st < b1 and b0 < en:
                ok = False
                break
        if ok and cur:
            gap = s.text[cur[-1][1]:st]
            if gap != " " or cur[-1][3]:
                runs.append(cur)
                cur = []
        ambiguous_given = (w in ambiguous_first and k + 1 < len(words) and not cur
                           and s.text[en:words[k + 1][0]] == " " and _namelike(words[k + 1][2], m))
        if ok and (nl or (cur and w in _PARTICLES) or ambiguous_given
                   or (cur and w in _SOFT_NOT_NAME and cur[-1][2] in m.all_first_names)):
            cur.append((st, en, w, poss))
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    out = []
    for r in runs:
        while r and r[-1][2] in _PARTICLES:
            r = r[:-1]
        while r and r[0][2] in _PARTICLES:
            r = r[1:]
        if r:
            out.append(r)
    return out, words


_QUALIFIERS = frozenset("deputy first second senior special chief top former acting interim foreign "
                        "defence defense interior finance justice energy economy economic trade health "
                        "security intelligence military political presidential prime vice assistant "
                        "executive general principal lead head national international press "
                        "communications policy affairs state armed forces of for the kremlin's "
                        "kremlin white house army navy air force cabinet government ruling opposition "
                        "republican democratic conservative labour party lawmaker".split())


_ROLE_STOP = frozenset("said says say told tell and or but that to with by as at in on from when while after "
                       "before is was were are be been has have had met meet meets meeting called according "
                       "including like than who which whom whose where if because since during "
                       "the The a A an An this these those his her their its our also then".split())


def _role_before(s: _Sent, st: int, m: _Matcher):
    """A role phrase ending right before `st` ("spokesman", "Deputy Foreign Minister")."""
    head = s.text[max(0, st - 100):st]
    toks = re.findall(r"[\w'\-.]+|,", head)
    if not toks:
        return None
    if not head.endswith((" ", ", ")):
        return None
    last = toks[-1] if toks[-1] != "," else (toks[-2] if len(toks) > 1 else "")
    word = last.lower().rstrip(".")
    if word not in m.words["role_words"] and "-" in word:
        word = word.rsplit("-", 1)[1]  # "co-leader", "ex-minister"
    if word not in m.words["role_words"] and not (word.endswith("s") and word[:-1] in m.words["role_words"]):
        return None
    k = len(toks) - (1 if toks[-1] != "," else 2)
    j = k
    while j > 0 and k - j < 6:
        w = toks[j - 1]
        if w == ",":
            break
        wl = w.lower()
        if wl in _ROLE_STOP or wl in _INDEF:
            break
        if wl in _QUALIFIERS or wl in m.words["role_words"] or w in m.adj_to_country or w[:1].isupper() \
                or (w.isalpha() and w.islower() and k - j < 3):
            j -= 1
        else:
            break
    phrase = " ".join(toks[j:k + 1])
    phrase = re.sub(r"^(?:of|for|the)\s+", "", phrase, flags=re.I)
    return phrase, word


def _role_of_before(s: _Sent, st: int, m: _Matcher):
    """A role with a complement right before a name: "minister of state", "head of the SBU"."""
    mm = re.search(r"\b([\w\-]+)\s+(?:of|for)\s+(?:the\s+)?(?:[\w'\-]+\s+){1,2}$", s.text[max(0, st - 70):st])
    if not mm:
        return None
    word = mm.group(1).lower()
    if word in m.words["role_words"]:
        return s.text[max(0, st - 70) + mm.start():st].strip(), word
    return None


def _role_after(s: _Sent, en: int, m: _Matcher):
    """An appositive role after a name: ", the Kremlin's chief negotiator," / ", a senior fellow at"."""
    mm = re.match(r"\s*,\s+", s.text[en:en + 4])
    if not mm:
        return None
    base = en + mm.end()
    toks = [(t.start() + base, t.end() + base, t.group(0)) for t in re.finditer(r"[\w'\-.]+|[,;:()\"“”]", s.text[base:base + 120])]
    for k, (a, b, w) in enumerate(toks[:8]):
        wl = w.lower().rstrip(".")
        if wl in (",", ";", ":", "(", ")", '"', "“", "”") or wl in ("said", "says", "told", "and", "but", "which",
                                                                 "where", "when", "while", "added", "wrote"):
            break
        role = wl if wl in m.words["role_words"] else (wl.rsplit("-", 1)[1] if "-" in wl else "")
        if role in m.words["role_words"]:
            last = k
            while last + 1 < len(toks) and toks[last + 1][2].lower() in m.words["role_words"]:
                last += 1
            first = 0
            while first < k and toks[first][2].lower() in ("the", "a", "an", "who", "is", "was", "now", "then"):
                first += 1
            return s.text[toks[first][0]:toks[last][1]], toks[last][2].lower()
    return None


def _speech_adjacent(s: _Sent, st: int, en: int) -> bool:
    prev = _prev_word(s.low, st)
    nxt = _next_word(s.low, en)
    if nxt in _SPEECH_VERBS or prev in _SPEECH_VERBS:
        return True
    if re.search(r"according to\s+$", s.low[max(0, st - 20):st]):
        return True
    if re.match(r"\s*,\s*(?:who|whose)\b", s.low[en:en + 12]):
        return True
    return False


_FACILITY = frozenset("Airport Building Foundation Institute University Center Centre Square Street "
                      "Prize Award Bridge Station School Hospital Museum Hall Avenue Boulevard "
                      "Cathedral Palace Park Stadium Arena Doctrine Fund Library Memorial Trust "
                      "Company Group Corporation Inc Ltd LLC Bank Ministry Agency Plan Initiative "
                      "Theatre Theater Prospekt Highway Base Island Lake Gardens Hotel International "
                      "Holdings Industries Partners Capital Media Motors".split())


def _coordinated_with_person(s: _Sent, st: int, en: int, accepted: dict, m: _Matcher) -> bool:
    """Is the run listed next to a person ("A and B", "A, B and C")?"""
    persons = [(x["st"], x["en"]) for x in s.spans if x.get("how") in ("full", "surname", "newperson")
               and x.get("idxs") and m.rows[x["idxs"][0]]["kind"] == "person"]
    persons += [(a, b) for info in accepted.values() for (ss, a, b) in info["spans"] if ss is s]
    for a, b in persons:
        if b <= st and re.fullmatch(r"(?:'s)?\s*(?:,|and|,\s*and|&)\s*", s.text[b:st]):
            return True
        if a >= en and re.fullmatch(r"\s*(?:,|and|,\s*and|&)\s*", s.text[en:a]):
            return True
    return False


def _discover_in_article(sents, m: _Matcher, lower_vocab, weak_out: list | None = None) -> dict:
    """Accepted discovered persons of one article: full name -> info; marks spans in sentences."""
    cands = []  # (sent, run tokens, evidence)
    for s in sents:
        if s.all_caps:
            continue
        runs, words = _runs(s, m)
        if not runs:
            continue
        first_pos = None
        for st, en, w, poss in words:
            first_pos = st
            break
        lead = re.match(r"[\s\"'“”‘’«»(\[—–-]*", s.text).end()
        for r in runs:
            toks = list(r)
            # a sentence-initial common word ("Speaking", "Asked") is not part of a name
            if toks and toks[0][0] <= lead + 0 and toks[0][0] == first_pos or (
                    toks and re.search(r"[:;\"“”«»(—–]\s*$", s.text[:toks[0][0]])):
                w0 = toks[0][2]
                if w0.lower() in lower_vocab and w0 not in m.all_first_names:
                    toks = toks[1:]
            if len(toks) > 4:
                continue  # a title, an organisation or a headline, not a name
            if not toks:
                continue
            # initials only at the edges are noise
            while toks and _is_initial(toks[-1][2]) and len(toks[-1][2]) <= 2:
                toks = toks[:-1]
            if not toks:
                continue
            cands.append((s, toks))
    # how often each capitalized word stands alone (not right after another capitalized word):
    # a surname repeated alone ("... Intelmann said") confirms "Tiina Intelmann"
    # (counted only for the words it is asked about: the last words of candidates)
    lasts = {toks[-1][2] for s, toks in cands}
    alone: dict[str, int] = {}
    for s in sents:
        if s.all_caps or not lasts:
            continue
        words = _capwords(s)
        for k, (st, en, w, poss) in enumerate(words):
            if w not in lasts:
                continue
            if k and s.text[words[k - 1][1]:st] == " ":
                continue
            if _is_sentence_start(s, st) and w.lower() in lower_vocab:
                continue
            alone[w] = alone.get(w, 0) + 1
    accepted: dict[str, dict] = {}
    weak = []
    for s, toks in cands:
        st, en = toks[0][0], toks[-1][1]
        name = s.text[st:en]
        first = toks[0][2]
        last = toks[-1][2]
        n = len(toks)
        prev = _prev_word(s.text, st)
        evidence = []
        if prev in m.words["honorifics"] or prev.rstrip(".") in m.words["honorifics"]:
            evidence.append("honorific")
        role_b = _role_before(s, st, m)
        if role_b is None and n >= 2 and (
                first in m.all_first_names or _SLAVIC_SUFFIX.search(last)
                or any(t[2][:3] in ("al-", "el-") or t[2] in ("bin", "ibn", "al", "el") for t in toks)):
            role_b = _role_of_before(s, st, m)  # "minister of state Lolwah al-Khater"
        role_a = _role_after(s, en, m) if not toks[-1][3] else None
        if role_b:
            evidence.append("role")
        if role_a:
            evidence.append("appositive")
        if n >= 2 and (first in m.all_first_names or _strip_accents(first) in m.all_first_names):
            evidence.append("first_name")
        if n >= 2 and _speech_adjacent(s, st, en):
            evidence.append("speech")
        if 2 <= n <= 3 and alone.get(last, 0) >= 1 and last not in m.alias_map and len(last) > 2 \
                and not any(t[2] in m.not_name for t in toks):
            evidence.append("surname_repeated")
        if n >= 2 and _SLAVIC_SUFFIX.search(last) and not last.endswith(("ing", "ion")):
            evidence.append("surname_ending")
        if re.match(r",\s*\d{1,3}\s*,", s.text[en:en + 8]):
            evidence.append("age")
        after = _next_word(s.text, en)
        sentence_initial = _is_sentence_start(s, st)
        common_first = first.lower() in lower_vocab and first not in m.all_first_names
        if after in _FACILITY or (n == 1 and after[:1].isupper() and after not in m.not_name):
            strong = False  # "Charles de Gaulle Airport", a name cut in the middle
        elif n >= 2:
            strong = bool({"honorific", "role", "appositive", "first_name", "age", "surname_repeated"} & set(evidence))
            if not strong and "surname_ending" in evidence and not (sentence_initial and common_first):
                strong = n <= 3
        else:  # one word: only with an honorific, a role right before it, or an age after it
            strong = bool({"honorific", "role", "age"} & set(evidence)) and not common_first
            if "role" in evidence and "honorific" not in evidence and (
                    sentence_initial or (role_b and role_b[1].endswith("s") and role_b[1] not in m.words["role_words"])):
                strong = False  # "analysts JPMorgan": a plural role before one word is an organisation
            core = first.replace("'", "")
            if len(core) < 3 or (re.search(r"[A-Z]", core[1:]) and not re.match(r"(?:Mc|Mac|O|D|De|Di|Le|La)[A-Z]", core)):
                strong = False  # "Gen Z", "JPMorgan", "McKinsey"-like camel case is not a surname here
        if strong and _title_case(s, lower_vocab) and not ({"honorific", "role", "appositive"} & set(evidence)):
            strong = False  # title-case headlines: accepted only if confirmed in the body
            weak.append((s, toks, evidence, "title_case"))
            continue
        if strong:
            info = accepted.setdefault(name, {"last": last, "first": first, "n": n, "spans": [],
                                              "evidence": set(), "roles": []})
            info["spans"].append((s, st, en))
            info["evidence"].update(evidence)
            if role_b:
                info["roles"].append(role_b)
            if role_a:
                info["roles"].append(role_a)
        else:
            weak.append((s, toks, evidence, "weak"))
    # coordination: "Angela Merkel and Francois Hollande", "Clinton, Yeltsin and John Major"
    changed = True
    while changed:
        changed = False
        for item in list(weak):
            s, toks, evidence, why = item
            if len(toks) < 2 or len(toks) > 3 or why == "title_case":
                continue
            st, en = toks[0][0], toks[-1][1]
            if _coordinated_with_person(s, st, en, accepted, m):
                name = s.text[st:en]
                info = accepted.setdefault(name, {"last": toks[-1][2], "first": toks[0][2], "n": len(toks),
                                                  "spans": [], "evidence": set(), "roles": []})
                info["spans"].append((s, st, en))
                info["evidence"].add("coordination")
                weak.remove(item)
                changed = True
    # merge "Petrov" / "Al Nuaimi" into "Ivan Petrov" / "Salem Al Nuaimi" when both occur
    for k in sorted(accepted, key=lambda x: accepted[x]["n"]):
        toks_k = k.split()
        fuller = [f for f, v in accepted.items() if v["n"] > accepted[k]["n"] and f.split()[-len(toks_k):] == toks_k]
        if len(fuller) == 1:
            accepted[fuller[0]]["spans"].extend(accepted[k]["spans"])
            accepted[fuller[0]]["roles"].extend(accepted[k]["roles"])
            del accepted[k]
    # "Ivan Petrov" and "Ivan Ivanovich Petrov": keep the fullest form
    for k in sorted(accepted, key=len):
        v = accepted.get(k)
        if v is None:
            continue
        longer = [f for f, w in accepted.items() if f != k and w["last"] == v["last"] and w["first"] == v["first"]
                  and len(f) > len(k)]
        if len(longer) == 1:
            accepted[longer[0]]["spans"].extend(v["spans"])
            accepted[longer[0]]["roles"].extend(v["roles"])
            del accepted[k]
    # weak candidates confirmed elsewhere in the article (headline names, repeated names)
    for s, toks, evidence, why in weak:
        st, en = toks[0][0], toks[-1][1]
        name = s.text[st:en]
        if name in accepted:
            accepted[name]["spans"].append((s, st, en))
    for full, info in accepted.items():
        for s, st, en in info["spans"]:
            s.spans.append({"st": st, "en": en, "how": "discovered", "name": full})
        info["weak"] = False
    if weak_out is not None:  # for discover_actors
        weak_out.extend(weak)
        weak_out.append(("accepted", {k: sorted(v["evidence"]) for k, v in accepted.items()}))
    return accepted


# ------------------------------------------------------------------------------------------
# emitting rows: roles, title-only mentions
# ------------------------------------------------------------------------------------------
def _affiliation_from_phrase(phrase: str, m: _Matcher):
    for w in re.findall(r"[\w'\-.]+", phrase):
        for cand in (w, w.capitalize(), w.upper()):
            c = m.adj_to_country.get(cand)
            if c:
                return c
    return None


def _affiliation_near(s: _Sent, st: int, en: int, m: _Matcher):
    """A country named right around a discovered name: "Russia's X", "a Ukrainian lawmaker, X",
    "X of Russia", "X, a Ukrainian lawmaker"."""
    before = re.split(r"[.;:!?\"“”]", s.text[max(0, st - 60):st])[-1]
    words = re.findall(r"[\w'\-.]+", before)[-5:]
    for w in reversed(words):
        c = m.adj_to_country.get(w)
        if c:
            return c
    after = s.text[en:en + 60]
    mm = re.match(r"\s+(?:of|from)\s+(?:the\s+)?([A-Z][\w'\-]*(?:\s+[A-Z][\w'\-]*)?)", after)
    if mm:
        for cand in (mm.group(1), mm.group(1).split()[0]):
            if cand in m.adj_to_country:
                return m.adj_to_country[cand]
    mm = re.match(r"\s*,\s+(?:an?|the)\s+([\w'\-]+)", after)
    if mm and mm.group(1) in m.adj_to_country:
        return m.adj_to_country[mm.group(1)]
    return None


def _official_from_role(word: str | None, m: _Matcher):
    if not word:
        return None
    if word in m.words["official_role_words"]:
        return True
    if word in m.words["nonofficial_role_words"]:
        return False
    return None


def _title_before_text(s: _Sent, st: int, m: _Matcher):
    """The role text written right before a name: "Kremlin aide", "US Secretary of State"."""
    best = None
    off = max(0, st - 90)
    # the role matches inside s.low[off:st], in the order a scan of that slice yields them
    for rs, re_, key, value in _role_matches(s, m):
        if rs < off or re_ > st:
            continue
        if s.text[re_:st].strip(" ,") == "" and (rs == 0 or not s.text[rs - 1].isalnum()):
            if best is None or rs < best[0]:
                best = (rs, re_)
    if best is None:
        return None
    rs = best[0]
    # extend to the left over qualifiers that are capitalized or adjectives ("US", "Ukrainian")
    while True:
        mm = re.search(r"([\w'.\-]+)\s+$", s.text[:rs])
        if not mm:
            break
        w = mm.group(1)
        wl = w.lower()
        if w in m.adj_to_country or (w[:1].isupper() and (wl in _QUALIFIERS or wl in m.words["role_words"]
                                                          or w in m.alias_map) and w not in ("The", "A", "An")):
            rs = mm.start(1)
        else:
            break
    return s.text[rs:best[1]], rs


def _role_matches(s: _Sent, m: _Matcher) -> list:
    if s.role_matches is None:
        s.role_matches = list(_iter_spans(m.role_automaton, s.low))
    return s.role_matches


def _is_sentence_start(s: _Sent, pos: int) -> bool:
    """Only quotes, brackets, dashes and spaces before pos: ``s.text[:pos].strip(_START_CHARS) == ""``."""
    if pos < 0:
        return s.text[:pos].strip(_START_CHARS) == ""
    return min(pos, len(s.text)) <= s.lead


def _emit(art: _Article, m: _Matcher, named, discovered) -> list[tuple]:
    sents = art.sents
    art.fill_role_matches(m)
    rows = []
    # in-article roles of persons (codebook roles + roles written next to their names)
    person_roles: dict[str, set] = {}
    person_info: dict[str, dict] = {}
    first_seen: dict[str, tuple] = {}
    for s in sents:
        if not s.spans:
            continue
        for x in (sorted(s.spans, key=_by_start) if len(s.spans) > 1 else s.spans):
            if x.get("skip"):
                continue
            how = x["how"]
            if how in ("full", "surname", "capital"):
                idx = x.get("idx")
                if idx is None:
                    continue
                row = m.rows[idx]
                actor = row["actor"]
                info = m.infos[idx]  # (shared, read-only)
                if how == "capital":
                    x["role"] = "capital (metonym)"
                method = "codebook" if (how == "full" or row["kind"] != "person") else "surname"
                if row["kind"] == "person":
                    person_roles.setdefault(actor, set()).update(m.roles_by_idx.get(idx, set()))
            elif how in ("newperson", "discovered", "disc-surname"):
                actor = x["name"]
                d = discovered.get(actor, {})
                roles = d.get("roles", [])
                role_phrase = roles[0][0] if roles else None
                aff = None
                off = None
                for phrase, word in roles:
                    aff = aff or _affiliation_from_phrase(phrase, m)
                    off = off if off is not None else _official_from_role(word, m)
                if aff is None:
                    for s2, st2, en2 in d.get("spans", []):
                        aff = _affiliation_near(s2, st2, en2, m)
                        if aff:
                            break
                info = {"kind": "person", "affiliation": aff, "official": off, "title": role_phrase}
                method = "surname" if how == "disc-surname" else "discovered"
                person_roles.setdefault(actor, set()).update(p for p, w in roles)
            else:
                continue
            x["actor"], x["info"], x["method"] = actor, info, method
            if info["kind"] == "person":
                person_info.setdefault(actor, info)
                first_seen.setdefault(actor, (s.sid, x["st"]))
    # roles written before a name ("Kremlin aide Yuri Ushakov") or after it (appositive)
    for s in sents:
        for x in s.spans:
            if "actor" not in x or x["info"]["kind"] != "person":
                continue
            role = None
            tb = _title_before_text(s, x["st"], m)
            if tb:
                role = tb[0]
                x["role_span"] = (tb[1], x["st"])
            else:
                ra = _role_after(s, x["en"], m)
                if ra:
                    role = ra[0]
            if role:
                x["role"] = role
                rl = " ".join(_lower_same_length(role).split())
                person_roles.setdefault(x["actor"], set()).add(rl)
                # "Ukrainian Foreign Minister": also the bare "foreign minister"
                parts = rl.split()
                while parts and (parts[0] in m.adj_lower
                                 or parts[0] in ("the", "a")):
                    parts = parts[1:]
                if parts:
                    person_roles[x["actor"]].add(" ".join(parts))
    # title-only mentions ("the Kremlin aide said", "Ukraine's president")
    for s in sents:
        if not s.role_matches:
            continue  # (filled for every sentence by art.fill_role_matches above)
        cands = []
        for rs, re_, key, value in s.role_matches:
            if rs > 0 and (s.low[rs - 1].isalnum() or s.low[rs - 1] == "-"):
                continue
            if re_ < len(s.low) and (s.low[re_].isalnum() or s.low[re_] == "-"):
                continue
            cands.append((rs, re_, key))
        if not cands:
            continue
        person_spans = [(x["st"], x["en"]) for x in s.spans if "actor" in x and x["info"]["kind"] == "person"]
        occupied = person_spans + [x["role_span"] for x in s.spans if "role_span" in x]
        cands.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        taken = []
        for rs, re_, key in cands:
            if _overlaps(rs, re_, taken):
                continue
            taken.append((rs, re_))
            if _overlaps(rs, re_, occupied) or _overlaps(rs, re_, s.excl):
                continue
            first = key.split()[0]
            if key not in m.role_map and key not in m.words["official_role_words"]:
                continue  # "son", "analyst": not titles that single out one person
            prev = _prev_word(s.low, rs)
            if prev in _FORMER or prev in _INDEF:
                continue
            # an appositive right after a name (", the Kremlin aide,") is that name's role
            before = s.text[:rs]
            if re.search(r",\s+(?:the\s+|a\s+|an\s+)?$", before, flags=re.I) and any(
                    re.fullmatch(r",\s+(?:the\s+|a\s+|an\s+)?", before[b:], flags=re.I) for a, b in person_spans):
                continue
            # a name right after the role is that name's title
            nxt = _next_word(s.text, re_)
            if nxt[:1].isupper() and nxt not in m.not_name and re.match(r",?\s", s.text[re_:re_ + 2] or " "):
                continue
            poss = prev.endswith("'s") and _affiliation_from_phrase(prev, m)
            qualified = prev == "the" or bool(poss) or (
                first not in m.words["role_words"] and (_is_sentence_start(s, rs) or prev in _SPEECH_VERBS))
            if not qualified:
                continue
            phrase = f"{prev} {key}" if poss else key
            target = _resolve_title(phrase, key, person_roles, first_seen, (s.sid, rs), m)
            if target is None:
                continue
            info = person_info[target]
            st0 = rs - len(prev) - 1 if poss else rs
            s.spans.append({"st": st0, "en": re_, "actor": target, "info": info, "method": "title",
                            "role": s.raw[st0:re_], "role_span": (st0, re_)})
    # org/country words inside a person's title ("Kremlin aide Yuri Ushakov") are not mentions
    for s in sents:
        if not s.spans:
            continue
        role_spans = [x["role_span"] for x in s.spans if "role_span" in x]
        if role_spans:
            s.spans = [x for x in s.spans if "role_span" in x or "actor" not in x
                       or x["info"]["kind"] == "person" or not _overlaps(x["st"], x["en"], role_spans)]
    for s in sents:
        if not s.spans:
            continue
        for x in (sorted(s.spans, key=_by_start) if len(s.spans) > 1 else s.spans):
            if "actor" not in x:
                continue
            info = x["info"]
            role = x.get("role") or (info.get("title") if info["kind"] == "person" else None)
            st, en = x["st"], x["en"]
            rows.append((s.aid, s.sid, s.base + st, s.base + en, s.raw[st:en], x["actor"], info["kind"],
                         info["affiliation"], role, info["official"], x["method"]))  # MENTION_COLUMNS
    return rows


_by_start = operator.itemgetter("st")


def _resolve_title(phrase, key, person_roles, first_seen, here, m: _Matcher):
    """The one named person of the article holding this role (None if none or ambiguous)."""
    phrase = " ".join(phrase.split())
    holders = [a for a, roles in person_roles.items() if phrase in roles or key in roles]
    if not holders:
        return None
    if len(holders) == 1:
        return holders[0]
    qualified = [a for a in holders if phrase in person_roles[a]]
    if len(qualified) == 1 and phrase != key:
        return qualified[0]
    # the most recently named holder before this point
    before = [a for a in holders if first_seen.get(a, (10 ** 9, 0)) <= here]
    if len(before) == 1:
        return before[0]
    return None


# ------------------------------------------------------------------------------------------
# discover_actors, cooccurrence, counts
# ------------------------------------------------------------------------------------------
def discover_actors(corpus_or_sentences, *, codebook=None, min_count=1, names=None) -> pd.DataFrame:
    """Person names the codebook lacks, to extend it.

    One row per candidate name: ``actor, mentions, articles, accepted (bool: counted in
    mentions as method="discovered"), evidence (why: first_name, honorific, role, appositive,
    speech, surname_ending), roles (list), surfaces (list), examples (list of up to 3
    sentences)``. Weak candidates (capitalized runs with no evidence) are listed with
    ``accepted=False`` so the analyst can judge them. Sorted by accepted, then mentions.
    """
    sentences = getattr(corpus_or_sentences, "sentences", corpus_or_sentences)
    if codebook is None and hasattr(corpus_or_sentences, "actor_codebook"):
        codebook = corpus_or_sentences.actor_codebook
    _check_sentences(sentences)
    frame = _resolve_codebook(codebook)
    m = _matcher_for(frame, names)
    stats: dict[str, dict] = {}
    groups = sentences.sort_values(["article_id", "sentence_id"]).groupby("article_id", sort=False)
    kinds_col = "kind" in sentences.columns
    for aid, g in groups:
        batch = [(aid, int(r.sentence_id), int(r.start), str(r.text), getattr(r, "kind", None) if kinds_col else None)
                 for r in g.itertuples(index=False)]
        # run the codebook step, then discovery, exactly as find_actors does
        weak: list = []
        rows = [dict(zip(MENTION_COLUMNS, r)) for r in _article_mentions(batch, m, True, weak)]
        evid = {}
        for item in weak:
            if item[0] == "accepted":
                evid.update(item[1])
        weak = [w for w in weak if w[0] != "accepted"]
        for r in rows:
            if r["method"] in ("discovered",) or (r["method"] == "surname" and r["actor"] not in m.actor_index):
                d = stats.setdefault(r["actor"], {"mentions": 0, "articles": set(), "accepted": True,
                                                  "evidence": set(), "roles": set(), "surfaces": set(),
                                                  "examples": []})
                d["mentions"] += 1
                d["articles"].add(aid)
                d["surfaces"].add(r["surface"])
                d["evidence"].update(evid.get(r["actor"], ["given name + coded surname"]))
                if r["role"]:
                    d["roles"].add(str(r["role"]))
                sent = g.loc[g["sentence_id"] == r["sentence_id"], "text"]
                if len(sent) and len(d["examples"]) < 3 and str(sent.iloc[0]) not in d["examples"]:
                    d["examples"].append(str(sent.iloc[0]))
        for s, toks, evidence, why in weak:
            name = s.text[toks[0][0]:toks[-1][1]]
            if name in stats and stats[name]["accepted"]:
                continue
            if any(a.endswith(" " + name) for a in evid):
                continue  # the surname of an accepted name
            if len(toks) < 2 and not evidence:
                continue
            d = stats.setdefault(name, {"mentions": 0, "articles": set(), "accepted": False,
                                        "evidence": set(), "roles": set(), "surfaces": set(), "examples": []})
            d["mentions"] += 1
            d["articles"].add(aid)
            d["surfaces"].add(name)
            d["evidence"].update(evidence or ["none"])
            if len(d["examples"]) < 3 and s.text not in d["examples"]:
                d["examples"].append(s.raw)
    out = pd.DataFrame([{
        "actor": k, "mentions": v["mentions"], "articles": len(v["articles"]), "accepted": v["accepted"],
        "evidence": ", ".join(sorted(v["evidence"])), "roles": sorted(v["roles"]),
        "surfaces": sorted(v["surfaces"]), "examples": v["examples"],
    } for k, v in stats.items()], columns=["actor", "mentions", "articles", "accepted", "evidence",
                                           "roles", "surfaces", "examples"])
    out = out[out["mentions"] >= min_count]
    out = out.sort_values(["accepted", "mentions", "articles", "actor"], ascending=[False, False, False, True])
    return out.reset_index(drop=True)


def cooccurrence(mentions: pd.DataFrame, *, within: str = "sentence", kinds=None) -> pd.DataFrame:
    """Actors named together.

    One row per unordered pair of actors that co-occur: ``actor_a, actor_b, kind_a, kind_b,
    count (sentences or articles, per ``within``), articles, sentences`` (``actor_a <
    actor_b``); ``sentences`` counts the sentences naming both, ``articles`` the articles
    naming both in the same unit. ``within``: "sentence" or "article". ``kinds``: restrict to
    these actor kinds (e.g. ``["person"]``). Sorted by count, descending.
    """
    if within not in ("sentence", "article"):
        raise ValueError(f"within must be 'sentence' or 'article', got {within!r}")
    cols = ["actor_a", "actor_b", "kind_a", "kind_b", "count", "articles", "sentences"]
    need = {"article_id", "sentence_id", "actor"}
    if not need <= set(mentions.columns):
        raise ValueError(f"mentions frame lacks column(s) {sorted(need - set(mentions.columns))}")
    m = mentions
    if kinds is not None:
        m = m[m["kind"].astype("object").isin(list(kinds))]
    base = m[["article_id", "sentence_id", "actor"] + (["kind"] if "kind" in m.columns else [])].copy()
    base["actor"] = base["actor"].astype("object")
    base["article_id"] = base["article_id"].astype("object")
    if "kind" not in base.columns:
        base["kind"] = None
    base["kind"] = base["kind"].astype("object")
    kind_of = base.drop_duplicates("actor").set_index("actor")["kind"].to_dict()
    sent = base.drop_duplicates(["article_id", "sentence_id", "actor"])
    sp = sent.merge(sent, on=["article_id", "sentence_id"], suffixes=("_a", "_b"))
    sp = sp[sp["actor_a"] < sp["actor_b"]]
    sent_counts = sp.groupby(["actor_a", "actor_b"]).agg(
        sentences=("sentence_id", "size"), s_articles=("article_id", "nunique"))
    if within == "sentence":
        out = sent_counts.rename(columns={"s_articles": "articles"})
        out["count"] = out["sentences"]
    else:
        art = base.drop_duplicates(["article_id", "actor"])
        ap = art.merge(art, on="article_id", suffixes=("_a", "_b"))
        ap = ap[ap["actor_a"] < ap["actor_b"]]
        out = ap.groupby(["actor_a", "actor_b"]).agg(articles=("article_id", "nunique"))
        out["count"] = out["articles"]
        out = out.join(sent_counts[["sentences"]], how="left")
        out["sentences"] = out["sentences"].fillna(0)
    out = out.reset_index()
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("count", "articles", "sentences") else "string")
                             for c in cols})
    out["kind_a"] = out["actor_a"].map(kind_of)
    out["kind_b"] = out["actor_b"].map(kind_of)
    out = out[cols].astype({"count": "int64", "articles": "int64", "sentences": "int64",
                            "actor_a": "string", "actor_b": "string", "kind_a": "string", "kind_b": "string"})
    return out.sort_values(["count", "actor_a", "actor_b"], ascending=[False, True, True]).reset_index(drop=True)


def actor_counts(mentions: pd.DataFrame, articles: pd.DataFrame | None = None, *, by: str | None = None,
                 kinds=None) -> pd.DataFrame:
    """Mentions per actor (and per group).

    One row per actor (per ``by`` group when given): ``[<by>,] actor, kind, affiliation,
    mentions, articles, sentences``, sorted by mentions. ``by`` is a column of ``articles``
    (e.g. "outlet"), joined on article_id. ``kinds`` restricts the actor kinds.
    """
    m = mentions
    if kinds is not None:
        m = m[m["kind"].astype("object").isin(list(kinds))]
    m = m.copy()
    keys = ["actor"]
    if by is not None:
        if articles is None or by not in articles.columns:
            raise ValueError(f"by={by!r} needs the articles frame with a {by!r} column")
        m = m.merge(articles[["article_id", by]].astype({"article_id": m["article_id"].dtype}),
                    on="article_id", how="left")
        keys = [by, "actor"]
    m["_sent"] = m["article_id"].astype("object").astype(str) + "#" + m["sentence_id"].astype(str)
    out = m.groupby(keys, observed=True, dropna=False).agg(
        kind=("kind", "first"), affiliation=("affiliation", "first"), mentions=("actor", "size"),
        articles=("article_id", "nunique"), sentences=("_sent", "nunique")).reset_index()
    out = out.sort_values(keys[:-1] + ["mentions", "actor"],
                          ascending=[True] * (len(keys) - 1) + [False, True]).reset_index(drop=True)
    return out
