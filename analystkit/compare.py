"""Compare outlets: the same statement across outlets, sourcing profiles, omissions, syndication.

Public functions (all take frames or a Corpus and return **new** frames):

- :func:`align_statements` -- one row per statement + ``group_id``, ``group_size``,
  ``similarity`` and ``is_representative``: statements from different articles that report the
  same utterance share a ``group_id``.
- :func:`statement_variants` -- one row per statement of one group, side by side with the
  group's representative: changed words, cue/speaker/kind differences, truncation.
- :func:`sourcing_profile` -- one row per (outlet, dimension, value): whom each outlet lets speak.
- :func:`omissions` -- actors, issues and statement groups most other outlets carry but one
  outlet does not, ranked.
- :func:`find_syndication` -- one row per paragraph shared across articles (wire copy).
- :func:`near_duplicates` -- one row per (original, republished copy) pair of near-duplicate
  articles.

Every row keeps ``article_id`` and character offsets (``start``/``end``) into ``articles.text``.
Fuzzy scores come from rapidfuzz; candidate pairs are found by blocking (speaker) or by MinHash
locality-sensitive hashing (paragraphs, articles) so nothing compares all pairs of a 10,000
article corpus.
"""
from __future__ import annotations

import difflib
import heapq
import html
import re
import unicodedata
import zlib
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

__all__ = [
    "AFFILIATION_BUCKETS",
    "align_statements",
    "find_syndication",
    "near_duplicates",
    "omissions",
    "sourcing_profile",
    "statement_groups",
    "statement_variants",
]

# ---------------------------------------------------------------------------------------------
# text normalization for comparison
# ---------------------------------------------------------------------------------------------

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ",
})
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_NUMBER_RE = re.compile(r"\d(?:[\d,.]*\d)?")
_NEGATIONS = frozenset({
    "not", "no", "never", "nothing", "none", "neither", "nor", "nobody", "nowhere", "cannot",
    "without", "can't", "won't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't",
    "weren't", "haven't", "hasn't", "hadn't", "shouldn't", "wouldn't", "couldn't", "mustn't",
})
# Function words that change between a direct quote and its reported-speech rendering
# ("we are ready" -> "Russia was ready"): pronouns, auxiliaries, determiners, complementizers,
# intensifiers.
# They are ignored when content words are compared (in addition to the shared stopword list).
_SHIFT_WORDS = frozenset(
    "i me my mine we us our ours you your yours he him his she her hers it its they them their "
    "theirs this that these those there here a an the is are was were be been being am will "
    "would shall should can could may might must do does did have has had 's 're 've 'd 'll "
    "and or but if then so as of to in on at by for with from into about than also "
    # intensifiers and quantifiers: translations render them freely ("a lot of" / "much")
    "very much many lot lots more most really quite just still even already yet all some "
    "such too".split()
)


def _fold(text: str) -> str:
    text = str(text)
    if text.isascii():
        return text.casefold()
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_DETERMINERS = frozenset(["the", "a", "an", "this", "these", "those", "his", "her", "their", "its", "our", "my", "your"])
_CONTRACTED = frozenset(["that", "it", "there", "here", "what", "he", "she", "who", "let", "where", "how"])
# an attribution inside a quote broken by it: '... issue," Ushakov told reporters. "Some ...'
_INNER_ATTRIBUTION = re.compile(r'[,.!?]"\s+[^"]{1,200}?[,.:]\s*"')


def _words(text) -> list[str]:
    """Lower-cased, accent-folded word tokens of a statement's content; a leading reported-speech
    "that" (with a speech adverb before it: "afterwards that") and an attribution that
    interrupts a quote ('A," he said, "B') are dropped."""
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return []
    toks = _WORD_RE.findall(_INNER_ATTRIBUTION.sub(". ", _fold(text)))
    # a leading complementizer, possibly after a speech adverb the extractor kept
    # ("afterwards that ...", "later that ...")
    if "that" in toks[:3] and toks[0] not in _DETERMINERS:
        toks = toks[toks.index("that") + 1:]
    # possessive 's (Ukraine's -> ukraine), not contractions (that's, it's)
    toks = [t[:-2] if t.endswith("'s") and len(t) > 2 and t[:-2] not in _CONTRACTED else t
            for t in toks]
    return toks


@lru_cache(maxsize=1)
def _stemmer():
    from nltk.stem import PorterStemmer  # rule based, needs no downloaded data

    return PorterStemmer()


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer().stem(word)


@lru_cache(maxsize=4)
def _stopwords(path=None) -> frozenset:
    words: set[str] = set(_SHIFT_WORDS)
    try:
        from .tokens import load_stopwords
    except ImportError:  # pragma: no cover - the foundation always ships tokens.py
        load_stopwords = None
    if load_stopwords is not None:
        words |= {_fold(w) for w in load_stopwords(path)}
    return frozenset(words - _NEGATIONS)


class _Text:
    """Pre-computed comparison features of one statement text."""

    __slots__ = ("content", "key", "negated", "norm", "numbers", "words")

    def __init__(self, text, stop: frozenset):
        self.words = _words(text)
        self.norm = " ".join(self.words)
        self.content = frozenset(_stem(w) for w in self.words
                                 if w not in stop and w not in _NEGATIONS and not w.endswith("n't")
                                 and not w.isdigit() and len(w) > 1)
        # candidate key: the sorted content stems (word order, tense, pronouns do not matter)
        self.key = " ".join(sorted(self.content)) or self.norm
        self.negated = any(w in _NEGATIONS or w.endswith("n't") for w in self.words)
        self.numbers = frozenset(m.replace(",", "").rstrip(".") for m in
                                 _NUMBER_RE.findall(_fold(text))) if self.words else frozenset()


def _content_agreement(a: frozenset, b: frozenset) -> float:
    """Share of the smaller content-word set found in the other: the same stem, or a word with a
    fuzzy ratio >= 80 and the same first letter (a spelling/translation variant: further ~
    farther; not an antonym prefix)."""
    if not a or not b:
        return 1.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    hit = 0
    for w in small:
        if w in large:
            hit += 1
        else:
            best = process.extractOne(w, [v for v in large if v[0] == w[0]],
                                      scorer=fuzz.ratio, score_cutoff=80)
            hit += best is not None
    return hit / len(small)


def _contrast(a: frozenset, b: frozenset) -> bool:
    """True when a content word only one side has looks like a prefixed antonym of a word only
    the other side has (constructive / destructive, acceptable / unacceptable): same ending,
    different first letter."""
    only_a = [w for w in a - b if len(w) >= 5]
    only_b = [v for v in b - a if len(v) >= 5]
    for w in only_a:
        for v in only_b:
            if (w[0] != v[0] and (w.endswith(v) or v.endswith(w) or w[-5:] == v[-5:])
                    and fuzz.ratio(w, v) >= 70):
                return True
    return False


def _pair_similarity(a: _Text, b: _Text) -> float:
    """Similarity (0..1) of two statement texts: the same words translated, trimmed or paraphrased.

    The maximum of three views, then penalised for disagreements that mark different statements:
    - character level: ``fuzz.ratio`` / ``token_sort_ratio`` (translation variants),
    - truncation: ``fuzz.partial_ratio`` when the shorter text has at least 6 words,
    - paraphrase: overlap of content-word stems (direct quote vs reported speech), when they
      share at least 3 content words.
    When two views both reach 0.5 they reinforce each other. Penalties: content words of the
    shorter text missing from the longer one (x 0.4 + 0.6 * share found), negation present in one text
    only, disjoint numbers.
    """
    if not a.words or not b.words:
        return 0.0
    if a.norm == b.norm:
        return 1.0
    s_char = fuzz.ratio(a.norm, b.norm)
    if s_char >= 95:  # near-verbatim (wire copy): the other views cannot add anything
        return _penalised(s_char / 100, a, b)
    if s_char < 95:
        s_char = max(s_char, fuzz.token_sort_ratio(a.norm, b.norm, score_cutoff=s_char))
    s_char /= 100
    short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
    s_trunc = 0.0
    if len(short.words) >= 6 and len(short.norm) < 0.9 * len(long_.norm):
        s_trunc = fuzz.partial_ratio(short.norm, long_.norm) / 100 * 0.98
    s_lex = 0.0
    shared = a.content & b.content
    if len(shared) >= 3:
        union = a.content | b.content
        contain = len(shared) / min(len(a.content), len(b.content))
        s_lex = 0.5 * len(shared) / len(union) + 0.5 * contain
    views = sorted((s_char, s_trunc, s_lex), reverse=True)
    # two independent views agreeing (a re-translation: similar characters AND shared content
    # words) is stronger evidence than either alone
    sim = views[0] + 0.5 * views[1] * (1 - views[0]) if views[1] >= 0.5 else views[0]
    return _penalised(sim, a, b)


def _penalised(sim: float, a: _Text, b: _Text) -> float:
    """Apply the penalties of :func:`_pair_similarity` that mark different statements."""
    sim *= 0.4 + 0.6 * _content_agreement(a.content, b.content)
    if a.negated != b.negated or (sim >= 0.45 and _contrast(a.content, b.content)):
        sim *= 0.6
    if a.numbers and b.numbers and not (a.numbers & b.numbers):
        sim *= 0.5
    return float(min(sim, 1.0))


# ---------------------------------------------------------------------------------------------
# speaker blocking
# ---------------------------------------------------------------------------------------------

_UNNAMED = {"", "unattributed", "unknown", "anonymous", "none", "nan", "<na>"}


def _is_unnamed(speaker, speaker_kind, attribution) -> bool:
    sp = "" if _missing(speaker) else str(speaker).strip().casefold()
    return (sp in _UNNAMED or str(speaker_kind).casefold() in {"anonymous", "unknown"}
            or str(attribution).casefold() == "unattributed")


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _surname_key(word: str) -> str:
    word = re.sub(r"(.)\1+", r"\1", word)            # Zelenskyy -> Zelensky
    return re.sub(r"(iy|yi|ij|y|i)$", "i", word)     # Zelensky / Zelenskiy / Zelenski


def _speaker_key(speaker, speaker_kind, attribution, affiliation) -> str:
    if _is_unnamed(speaker, speaker_kind, attribution):
        aff = "" if _missing(affiliation) else _fold(affiliation).strip()
        return f"?unattributed|{aff}"
    words = _WORD_RE.findall(_fold(speaker))
    if not words:
        return f"?unattributed|{speaker}"
    if str(speaker_kind).casefold() == "person":
        return "person|" + _surname_key(words[-1])
    return "other|" + " ".join(words)


# ---------------------------------------------------------------------------------------------
# align_statements
# ---------------------------------------------------------------------------------------------

_REQUIRED_STATEMENT_COLUMNS = ("article_id", "statement_id", "text", "speaker")


def _check_columns(frame: pd.DataFrame, columns: Iterable[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{name} frame lacks column(s) {missing}; it has {list(frame.columns)}")


def _candidate_pairs(keys: list[str], *, cutoff: float, chunk: int = 2000,
                     workers: int = 1) -> list[tuple[int, int]]:
    """Pairs (i < j) of a block whose strings (texts, or sorted content stems: ``_Text.key``)
    reach ``cutoff`` (0..100) with ``fuzz.ratio``, via ``rapidfuzz.process.cdist``."""
    n = len(keys)
    pairs: list[tuple[int, int]] = []
    for lo in range(0, n, chunk):
        rows = keys[lo:lo + chunk]
        m = process.cdist(rows, keys[lo:], scorer=fuzz.ratio, dtype=np.uint8,
                          score_cutoff=cutoff, workers=workers)
        ii, jj = np.nonzero(m)
        keep = jj > ii  # upper triangle in block coordinates (columns start at lo)
        pairs.extend(zip((ii[keep] + lo).tolist(), (jj[keep] + lo).tolist()))
    return pairs


def _rare_token_pairs(feats: list, ids: list[int], *, cutoff: float, per_item: int = 3,
                      max_df: int = 400, workers: int = 1) -> set:
    """Candidate pairs (positions in ``ids``) for a large block, sub-quadratic.

    Each statement is indexed under its ``per_item`` rarest content stems (document frequency
    within the block, ties by stem); two statements are candidates when they share one of those,
    it occurs in at most ``max_df`` statements of the block, and they pass the same cdist ratio
    ``cutoff`` as small blocks. Statements without content words are candidates only of the
    same normalized text.
    """
    df: dict[str, int] = {}
    for i in ids:
        for w in feats[i].content:
            df[w] = df.get(w, 0) + 1
    postings: dict[str, list[int]] = {}
    for pos, i in enumerate(ids):
        content = feats[i].content
        if not content:
            postings.setdefault("\0" + feats[i].norm, []).append(pos)
            continue
        for w in sorted(content, key=lambda w: (df[w], w))[:per_item]:
            postings.setdefault(w, []).append(pos)
    pairs = set()
    for key, members in postings.items():
        if len(members) < 2 or len(members) > max_df:
            continue
        # the same cheap cdist filter as small blocks, within the posting list
        texts = [feats[ids[p]].norm for p in members]
        keys = [feats[ids[p]].key for p in members]
        for sub in (texts, keys):
            for x, y in _candidate_pairs(sub, cutoff=cutoff, workers=workers):
                pairs.add((members[x], members[y]) if members[x] < members[y]
                          else (members[y], members[x]))
    return pairs


def _average_linkage(weights: list[int], articles: list[set], sims: dict,
                     threshold: float) -> list[int]:
    """Sparse weighted average-linkage clustering of nodes; a cluster never spans two nodes that
    share an article.

    Node ``i`` stands for ``weights[i]`` identical statements from the articles ``articles[i]``.
    ``sims`` maps node pairs (i, j) -> similarity; missing pairs count as 0. Two clusters merge
    when the mean similarity over all their statement pairs reaches ``threshold`` (highest
    first). Returns the cluster label of each node.
    """
    n = len(weights)
    size = {i: weights[i] for i in range(n)}
    members = {i: [i] for i in range(n)}
    arts = {i: set(articles[i]) for i in range(n)}
    nbr: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), s in sims.items():
        w = s * weights[i] * weights[j]
        nbr[i][j] = nbr[i].get(j, 0.0) + w
        nbr[j][i] = nbr[j].get(i, 0.0) + w
    heap = [(-s, i, j, weights[i], weights[j]) for (i, j), s in sims.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        _, c, d, sc, sd = heapq.heappop(heap)
        if c not in members or d not in members or size[c] != sc or size[d] != sd:
            continue  # merged away, or stale: a fresh entry was pushed after the last merge
        if arts[c] & arts[d]:
            continue
        if len(members[c]) < len(members[d]):
            c, d = d, c
        members[c].extend(members.pop(d))
        arts[c] |= arts.pop(d)
        size[c] += size.pop(d)
        for e, total in nbr.pop(d).items():
            nbr[e].pop(d, None)
            if e != c:
                nbr[c][e] = nbr[c].get(e, 0.0) + total
                nbr[e][c] = nbr[c][e]
        nbr[c].pop(c, None)
        for e, total in nbr[c].items():
            avg = total / (size[c] * size[e])
            if avg >= threshold and not (arts[c] & arts[e]):
                heapq.heappush(heap, (-avg, c, e, size[c], size[e]))
    labels = [0] * n
    for c, mem in members.items():
        for i in mem:
            labels[i] = c
    return labels


def _shingle_index_pairs(norms: list[str], *, k: int = 4, max_df: int = 50) -> set:
    """Pairs of texts sharing at least one word k-shingle that is not too frequent."""
    index: dict[str, list[int]] = {}
    for i, text in enumerate(norms):
        words = text.split()
        if len(words) < k:
            grams = {text} if len(words) >= 3 else set()
        else:
            grams = {" ".join(words[p:p + k]) for p in range(len(words) - k + 1)}
        for g in grams:
            index.setdefault(g, []).append(i)
    pairs = set()
    for ids in index.values():
        if 1 < len(ids) <= max_df:
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    pairs.add((ids[x], ids[y]))
    return pairs


def align_statements(statements: pd.DataFrame, *, threshold: float = 0.75,
                     cross_speaker_threshold: float = 0.88, stopwords=None,
                     max_block: int = 500, workers: int = 1) -> pd.DataFrame:
    """Group statements from different articles that report the same utterance.

    One row per input statement (all input columns kept, same order) plus:

    - ``group_id`` (int): statements reporting the same utterance share it; a statement no other
      article reports is a group of its own. Ids are numbered by group size (largest first).
    - ``group_size`` (int): number of statements (= articles) in the group.
    - ``similarity`` (float 0..1): similarity of this statement's text to the representative's.
    - ``is_representative`` (bool): one per group -- a direct quote if the group has one, else
      the member most similar to the others.

    How:

    1. Block by speaker: the resolved actor; persons by a spelling-tolerant surname key, so
       "Zelensky" / "Zelenskyy" / "Zelenskiy" meet; unattributed statements by affiliation.
       Identical texts collapse into one weighted node (a wire quote in 500 articles is
       compared once).
    2. Candidates within a block: ``rapidfuzz.process.cdist`` (``fuzz.ratio`` of the texts and
       of their sorted content stems, cutoff ``threshold - 0.25``); blocks with more than
       ``max_block`` distinct texts ("Putin" in a 10,000 article corpus) first narrow to texts
       sharing one of their rarest content words, then run the same cdist.
    3. Score candidates with :func:`_pair_similarity` (character ratio for translation
       variants, partial ratio for truncation, content-word overlap for paraphrase; penalties
       for missing content words, one-sided negation, prefixed antonyms, different numbers).
    4. Cluster by sparse average linkage at ``threshold``: no chaining through a version that
       strings two utterances together, and never two statements of the same article.
    5. Join groups whose speakers differ ("Ushakov" / "the Kremlin" / "a Kremlin source") when
       their representatives (4+ words) score ``cross_speaker_threshold``, their affiliations
       do not conflict and they are not two different named persons.

    ``stopwords``: None (the shared list, :func:`analystkit.load_stopwords`), a path, or an
    iterable of words; negations are always kept as content. ``workers`` is passed to cdist.
    """
    _check_columns(statements, _REQUIRED_STATEMENT_COLUMNS, "statements")
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold!r}")
    out = statements.copy().reset_index(drop=True)
    n = len(out)
    if n == 0:
        out["group_id"] = pd.Series(dtype="int64")
        out["group_size"] = pd.Series(dtype="int64")
        out["similarity"] = pd.Series(dtype="float64")
        out["is_representative"] = pd.Series(dtype="bool")
        return out
    if stopwords is None or isinstance(stopwords, (str, bytes)) or hasattr(stopwords, "__fspath__"):
        stop = _stopwords(None if stopwords is None else str(stopwords))
    else:
        stop = frozenset(_fold(w) for w in stopwords) | _SHIFT_WORDS - _NEGATIONS
    # one feature object per distinct text: wire quotes repeat verbatim across many articles
    uid_of: dict[str, int] = {}
    feats: list[_Text] = []
    uids = []
    for t in out["text"].tolist():
        f = _Text(t, stop)
        if f.norm not in uid_of:
            uid_of[f.norm] = len(feats)
            feats.append(f)
        uids.append(uid_of[f.norm])
    arts = out["article_id"].astype(str).tolist()
    col = lambda name: out[name].tolist() if name in out.columns else [None] * n
    kinds = [str(k).casefold() if not _missing(k) else "" for k in col("kind")]
    affs = [None if _missing(a) else str(a) for a in col("affiliation")]
    keys = [_speaker_key(s, k, a, f) for s, k, a, f in
            zip(col("speaker"), col("speaker_kind"), col("attribution"), affs)]

    cache: dict[tuple[int, int], float] = {}

    def text_sim(u, v):
        if u == v:
            return 1.0 if feats[u].words else 0.0
        key = (u, v) if u < v else (v, u)
        if key not in cache:
            cache[key] = _pair_similarity(feats[key[0]], feats[key[1]])
        return cache[key]

    # nodes: identical texts of one speaker block; a text repeated inside one article goes to
    # a second "layer" node, so the two copies can never be grouped together
    node_of: dict[tuple, int] = {}
    node_members: list[list[int]] = []
    node_key: list[str] = []
    node_uid: list[int] = []
    seen: dict[tuple, int] = {}
    for i in range(n):
        layer = seen.get((keys[i], uids[i], arts[i]), 0)
        seen[(keys[i], uids[i], arts[i])] = layer + 1
        nk = (keys[i], uids[i], layer)
        if nk not in node_of:
            node_of[nk] = len(node_members)
            node_members.append([])
            node_key.append(keys[i])
            node_uid.append(uids[i])
        node_members[node_of[nk]].append(i)
    node_arts = [{arts[i] for i in m} for m in node_members]

    # pass 1: candidates within speaker blocks (distinct texts), scored, then clustered
    blocks: dict[str, list[int]] = {}
    for node, key in enumerate(node_key):
        blocks.setdefault(key, []).append(node)
    cand_cutoff = max(40.0, threshold * 100 - 25)
    sims: dict[tuple[int, int], float] = {}
    for nodes in blocks.values():
        if len(nodes) < 2:
            continue
        by_uid: dict[int, list[int]] = {}
        for node in nodes:
            by_uid.setdefault(node_uid[node], []).append(node)
        block_uids = list(by_uid)
        if len(block_uids) > 1:
            if len(block_uids) <= max_block:
                cands = set(_candidate_pairs([feats[u].key for u in block_uids],
                                             cutoff=cand_cutoff, workers=workers))
                cands.update(_candidate_pairs([feats[u].norm for u in block_uids],
                                              cutoff=cand_cutoff, workers=workers))
            else:
                cands = _rare_token_pairs(feats, block_uids, cutoff=cand_cutoff,
                                          workers=workers)
            for x, y in cands:
                s = text_sim(block_uids[x], block_uids[y])
                if s < 0.3:
                    continue
                for a in by_uid[block_uids[x]]:
                    for b in by_uid[block_uids[y]]:
                        sims[(a, b) if a < b else (b, a)] = s
    labels = _average_linkage([len(m) for m in node_members], node_arts, sims, threshold)

    adj: dict[int, list[tuple[int, float]]] = {}
    for (a, b), s in sims.items():
        if labels[a] == labels[b]:
            adj.setdefault(a, []).append((b, s))
            adj.setdefault(b, []).append((a, s))

    def representative(group_nodes):
        """The statement most similar to the rest (a direct quote if there is one)."""
        def score(node):
            w = len(node_members[node])
            return (w - 1) + sum(s * len(node_members[o]) for o, s in adj.get(node, ()))
        stmts = [i for node in group_nodes for i in node_members[node]]
        pool = [i for i in stmts if kinds[i] == "direct"] or stmts
        node_score = {node: score(node) for node in group_nodes}
        best = max(pool, key=lambda i: (node_score[node_of_stmt[i]],
                                        len(feats[uids[i]].words), -i))
        return best

    node_of_stmt = [0] * n
    for node, mem in enumerate(node_members):
        for i in mem:
            node_of_stmt[i] = node
    groups: dict[int, list[int]] = {}
    for node, lab in enumerate(labels):
        groups.setdefault(lab, []).append(node)
    glist = list(groups.values())
    reps = [representative(g) for g in glist]

    # pass 2: near-identical texts under different attributions (same or unknown affiliation)
    parent = list(range(len(glist)))

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    gart = [set().union(*(node_arts[node] for node in g)) for g in glist]
    rep_norms = [feats[uids[r]].norm for r in reps]
    scored = []
    for g, h in _shingle_index_pairs(rep_norms):
        kg, kh = keys[reps[g]], keys[reps[h]]
        if kg == kh or (kg.startswith("person|") and kh.startswith("person|")):
            continue  # two named people saying the same words are two utterances
        if min(len(feats[uids[reps[g]]].words), len(feats[uids[reps[h]]].words)) < 4:
            continue
        fa, fb = affs[reps[g]], affs[reps[h]]
        if fa and fb and _fold(fa) != _fold(fb):
            continue
        s = text_sim(uids[reps[g]], uids[reps[h]])
        if s >= cross_speaker_threshold:
            scored.append((s, g, h))
    for s, g, h in sorted(scored, reverse=True):
        rg, rh = find(g), find(h)
        if rg == rh or gart[rg] & gart[rh]:
            continue
        parent[rh] = rg
        gart[rg] |= gart[rh]
    merged: dict[int, list[int]] = {}
    for g, nodes in enumerate(glist):
        merged.setdefault(find(g), []).extend(nodes)
    final = []
    for root, nodes in merged.items():
        mem = sorted(i for node in nodes for i in node_members[node])
        rep = reps[root] if len(nodes) == len(glist[root]) else representative(nodes)
        final.append((mem, rep))
    final.sort(key=lambda mr: (-len(mr[0]), arts[mr[0][0]], mr[0][0]))

    group_id = np.zeros(n, dtype="int64")
    group_size = np.zeros(n, dtype="int64")
    similarity = np.zeros(n, dtype="float64")
    is_rep = np.zeros(n, dtype=bool)
    for gid, (mem, r) in enumerate(final):
        is_rep[r] = True
        for i in mem:
            group_id[i] = gid
            group_size[i] = len(mem)
            similarity[i] = 1.0 if i == r else round(text_sim(uids[i], uids[r]), 4)
    out["group_id"] = group_id
    out["group_size"] = group_size
    out["similarity"] = similarity
    out["is_representative"] = is_rep
    return out


def statement_groups(aligned: pd.DataFrame, articles: pd.DataFrame | None = None, *,
                     min_size: int = 1) -> pd.DataFrame:
    """One row per statement group: the representative's trace and text plus the group's reach.

    Columns: ``group_id, size, articles, outlets (if articles given), speaker, speakers (list of
    distinct speakers), kind, cue, text, article_id, sentence_id, start, end`` -- the last four
    trace the representative statement to its sentence. Sorted by size (largest first).
    """
    _check_columns(aligned, ("group_id", "is_representative", "article_id"), "aligned statements")
    frame = aligned
    if articles is not None and "outlet" in articles.columns and "outlet" not in frame.columns:
        frame = frame.merge(articles[["article_id", "outlet"]], on="article_id", how="left")
    grp = frame.groupby("group_id", sort=False)
    agg = pd.DataFrame({
        "size": grp.size(),
        "articles": grp["article_id"].nunique(),
        "speakers": grp["speaker"].agg(lambda s: sorted({str(x) for x in s if not _missing(x)}))
        if "speaker" in frame.columns else None,
    })
    if "outlet" in frame.columns:
        agg["outlets"] = grp["outlet"].nunique()
    reps = frame[frame["is_representative"]].set_index("group_id")
    keep = [c for c in ("speaker", "kind", "cue", "text", "article_id", "sentence_id", "start",
                        "end") if c in reps.columns]
    res = agg.join(reps[keep]).reset_index()
    res = res[res["size"] >= min_size]
    sort_cols = ["outlets", "size", "group_id"] if "outlets" in res.columns else ["size", "group_id"]
    asc = [False] * (len(sort_cols) - 1) + [True]
    return res.sort_values(sort_cols, ascending=asc, kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# statement_variants
# ---------------------------------------------------------------------------------------------

_SURFACE_RE = re.compile(r"\w+(?:['\u2019\u2011-]\w+)*|[^\w\s]", re.UNICODE)


def _diff(rep_text: str, text: str) -> tuple[str, str, list, list]:
    """Word diff of ``text`` against ``rep_text``.

    Returns (marked plain text with ``[-removed-]``/``{+added+}``, html-escaped text with
    ``<del>``/``<ins>``, removed words, added words). The original spacing of ``text`` is kept.
    """
    rep_text, text = str(rep_text), str(text)
    a = [m.span() for m in _SURFACE_RE.finditer(rep_text)]
    b = [m.span() for m in _SURFACE_RE.finditer(text)]
    ka = [_fold(rep_text[x:y]) for x, y in a]
    kb = [_fold(text[x:y]) for x, y in b]
    sm = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    plain, marked, removed, added = [], [], [], []
    pos = 0  # position in text up to which output has been written

    def gap(upto):
        nonlocal pos
        if upto > pos:
            plain.append(text[pos:upto])
            marked.append(html.escape(text[pos:upto]))
            pos = upto

    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            gap(b[j2 - 1][1])
            continue
        if j1 < len(b):
            gap(b[j1][0])
        if i2 > i1:
            old = rep_text[a[i1][0]:a[i2 - 1][1]]
            if j1 >= len(b) and b:
                plain.append(" ")
                marked.append(" ")
            plain.append(f"[-{old}-]")
            marked.append(f"<del>{html.escape(old)}</del>")
            removed.extend(rep_text[x:y] for x, y in a[i1:i2]
                           if any(c.isalnum() for c in rep_text[x:y]))
            if j2 == j1:
                plain.append(" ")
                marked.append(" ")
        if j2 > j1:
            new = text[b[j1][0]:b[j2 - 1][1]]
            plain.append(f"{{+{new}+}}")
            marked.append(f"<ins>{html.escape(new)}</ins>")
            added.extend(text[x:y] for x, y in b[j1:j2] if any(c.isalnum() for c in text[x:y]))
            pos = b[j2 - 1][1]
    gap(len(text))
    return "".join(plain).strip(), "".join(marked).strip(), removed, added


def statement_variants(aligned: pd.DataFrame, group_id: int | None = None, *,
                       speaker: str | None = None, articles: pd.DataFrame | None = None
                       ) -> pd.DataFrame:
    """Every outlet's version of one statement group, side by side with the representative.

    Pick the group by ``group_id``, or by ``speaker`` (then: the largest group whose members
    include that speaker, case-insensitive substring match). One row per statement of the group
    (the representative first, then by similarity), columns:

    ``group_id, article_id, statement_id, sentence_id, start, end, outlet (if articles given),
    speaker, cue, kind, attribution, text, similarity, is_representative,
    speaker_differs, cue_differs, kind_differs, length_ratio, truncated, extended,
    removed (words of the representative missing here), added (words only here),
    diff (plain: [-removed-] {+added+}), diff_html (escaped, <del>/<ins>)``.

    ``truncated``: this version is a trimmed form of the representative (at most 85 % of its words
    and its words appear in it); ``extended``: the reverse.
    """
    _check_columns(aligned, ("group_id", "is_representative", "text"), "aligned statements")
    if group_id is None:
        if speaker is None:
            raise ValueError("statement_variants needs group_id= or speaker=")
        sp = aligned["speaker"].astype("string").str.casefold().str.contains(
            str(speaker).casefold(), regex=False, na=False)
        if not sp.any():
            raise ValueError(f"no statement by a speaker matching {speaker!r}")
        sizes = aligned.loc[sp].groupby("group_id").size()
        group_id = int(sizes.sort_values(ascending=False, kind="stable").index[0])
    rows = aligned[aligned["group_id"] == group_id]
    if rows.empty:
        raise ValueError(f"no statement group {group_id!r} (group ids run 0..."
                         f"{int(aligned['group_id'].max()) if len(aligned) else -1})")
    rows = rows.copy()
    if articles is not None and "outlet" in articles.columns and "outlet" not in rows.columns:
        rows = rows.merge(articles[["article_id", "outlet"]], on="article_id", how="left")
    rows = rows.sort_values(["is_representative", "similarity"], ascending=[False, False],
                            kind="stable").reset_index(drop=True)
    rep = rows.iloc[0]
    rep_words = _words(rep["text"])

    def get(row, name):
        return row[name] if name in row.index else None

    def differs(row, name, fold=True):
        x, y = get(row, name), get(rep, name)
        if _missing(x) and _missing(y):
            return False
        if _missing(x) or _missing(y):
            return True
        return (_fold(x).strip() != _fold(y).strip()) if fold else x != y

    recs = []
    for _, row in rows.iterrows():
        words = _words(row["text"])
        ratio = len(words) / max(len(rep_words), 1)
        contained = (fuzz.partial_ratio(" ".join(words), " ".join(rep_words)) >= 90
                     if words and rep_words else False)
        contains = (fuzz.partial_ratio(" ".join(rep_words), " ".join(words)) >= 90
                    if words and rep_words else False)
        plain, marked, removed, added = _diff(rep["text"], row["text"])
        recs.append({
            "speaker_differs": differs(row, "speaker") if "speaker" in rows else False,
            "cue_differs": differs(row, "cue") if "cue" in rows else False,
            "kind_differs": differs(row, "kind") if "kind" in rows else False,
            "length_ratio": round(ratio, 3),
            "truncated": bool(ratio <= 0.85 and contained),
            "extended": bool(ratio >= 1 / 0.85 and contains),
            "removed": removed,
            "added": added,
            "diff": plain,
            "diff_html": marked,
        })
    keep = [c for c in ("group_id", "article_id", "statement_id", "sentence_id", "start", "end",
                        "outlet", "speaker", "cue", "kind", "attribution", "text", "similarity",
                        "is_representative") if c in rows.columns]
    return pd.concat([rows[keep], pd.DataFrame(recs)], axis=1)


# ---------------------------------------------------------------------------------------------
# sourcing_profile
# ---------------------------------------------------------------------------------------------

#: affiliation value (case-folded) -> bucket of the sourcing profile. Anything else -> "other";
#: a missing affiliation -> "unknown".
AFFILIATION_BUCKETS = {
    **{k: "Russia" for k in ("russia", "russian", "russian federation", "kremlin", "moscow", "ru")},
    **{k: "Ukraine" for k in ("ukraine", "ukrainian", "kyiv", "kiev", "ua")},
    **{k: "US" for k in ("us", "u.s.", "u. s.", "usa", "united states", "united states of america",
                         "america", "american", "washington", "white house")},
    **{k: "Europe" for k in (
        "europe", "european", "eu", "european union", "european commission", "uk",
        "united kingdom", "britain", "great britain", "england", "france", "germany", "italy",
        "spain", "poland", "netherlands", "belgium", "sweden", "finland", "denmark", "norway",
        "estonia", "latvia", "lithuania", "czech republic", "czechia", "slovakia", "hungary",
        "romania", "bulgaria", "greece", "portugal", "austria", "ireland", "switzerland",
        "croatia", "slovenia", "moldova", "luxembourg", "nato")},
}
_BUCKET_ORDER = ["Russia", "Ukraine", "US", "Europe", "other", "unknown"]


def _affiliation_bucket(value) -> str:
    if _missing(value) or not str(value).strip():
        return "unknown"
    key = _fold(value).strip()
    if key in AFFILIATION_BUCKETS:
        return AFFILIATION_BUCKETS[key]
    key2 = re.sub(r"[^a-z ]", "", key).strip()
    return AFFILIATION_BUCKETS.get(key2, "other")


def _truthy(value) -> bool:
    if _missing(value):
        return False
    if isinstance(value, str):
        return value.strip().casefold() in {"true", "1", "yes", "y", "t"}
    return bool(value)


def sourcing_profile(statements: pd.DataFrame, articles: pd.DataFrame, *,
                     by: str = "outlet") -> pd.DataFrame:
    """Whom does each outlet let speak? One row per (``by`` group, dimension, value), zeros kept.

    Columns: ``<by>, dimension, value, count, statements, share`` where ``statements`` is the
    group's number of statements and ``share = count / statements`` (0 when it has none).
    Dimensions and values:

    - ``source``: ``named`` | ``unattributed`` (attribution "unattributed", or an anonymous /
      unknown speaker)
    - ``kind``: ``direct`` | ``indirect`` (| ``unknown`` when a statement has no kind)
    - ``official``: ``official`` | ``other`` (``is_official``; | ``unknown`` when missing)
    - ``affiliation``: ``Russia | Ukraine | US | Europe | other | unknown`` (see
      :data:`AFFILIATION_BUCKETS`; ``unknown`` = no affiliation)

    Every group of ``articles[by]`` appears, also one whose articles carry no statement.
    """
    _check_columns(statements, ("article_id",), "statements")
    _check_columns(articles, ("article_id", by), "articles")
    st = statements.merge(articles[["article_id", by]].drop_duplicates("article_id"),
                          on="article_id", how="left", validate="many_to_one")
    unknown_ids = st.loc[st[by].isna(), "article_id"].unique()
    if len(unknown_ids):
        raise ValueError(f"statements reference article_id(s) not in articles: "
                         f"{list(unknown_ids)[:5]}")
    n = len(st)
    col = lambda name: st[name].tolist() if name in st.columns else [None] * n
    source = ["unattributed" if _is_unnamed(s, k, a) else "named"
              for s, k, a in zip(col("speaker"), col("speaker_kind"), col("attribution"))]
    kind = ["unknown" if _missing(k) else "direct" if str(k).casefold() == "direct"
            else "indirect" for k in col("kind")]
    official = ["unknown" if _missing(v) else "official" if _truthy(v) else "other"
                for v in col("is_official")]
    aff = [_affiliation_bucket(v) for v in col("affiliation")]
    long = pd.DataFrame({
        by: np.repeat(st[by].astype(str).to_numpy(), 4),
        "dimension": ["source", "kind", "official", "affiliation"] * n,
        "value": [v for quad in zip(source, kind, official, aff) for v in quad],
    })
    values = {"source": ["named", "unattributed"],
              "kind": ["direct", "indirect"] + (["unknown"] if "unknown" in kind else []),
              "official": ["official", "other"] + (["unknown"] if "unknown" in official else []),
              "affiliation": _BUCKET_ORDER}
    groups = sorted(articles[by].dropna().astype(str).unique())
    grid = pd.DataFrame([(g, d, v) for g in groups for d, vs in values.items() for v in vs],
                        columns=[by, "dimension", "value"])
    counts = long.groupby([by, "dimension", "value"]).size().rename("count").reset_index()
    res = grid.merge(counts, on=[by, "dimension", "value"], how="left")
    res["count"] = res["count"].fillna(0).astype("int64")
    totals = st.groupby(st[by].astype(str)).size()
    res["statements"] = res[by].map(totals).fillna(0).astype("int64")
    res["share"] = np.where(res["statements"] > 0,
                            res["count"] / res["statements"].where(res["statements"] > 0, 1), 0.0)
    return res.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# omissions
# ---------------------------------------------------------------------------------------------

def _frame(corpus, name):
    try:
        return getattr(corpus, name)
    except AttributeError as exc:  # a Corpus without that frame: name it
        raise TypeError(f"omissions/find_syndication need a Corpus with .{name}") from exc


def omissions(corpus, *, outlet: str, min_share: float = 0.5, aligned: pd.DataFrame | None = None,
              kinds: Iterable[str] = ("actor", "issue", "statement")) -> pd.DataFrame:
    """What most other outlets carry but ``outlet`` does not: actors, issues, statement groups.

    One row per item absent from every article of ``outlet`` and carried by at least
    ``min_share`` of the other outlets, ranked by that share, then by articles. Columns:

    ``kind (actor/issue/statement), item, group_id (statements; else <NA>), outlets (number of
    other outlets carrying it), share_of_outlets, articles, carried_by (list of outlets),
    article_id, sentence_id, start, end`` -- the last four trace one example occurrence.

    ``corpus`` is a Corpus (``.articles``, ``.mentions``, ``.issue_hits``, ``.statements``).
    ``aligned`` may pass a precomputed :func:`align_statements` result.
    """
    articles = _frame(corpus, "articles")
    outlets = sorted(articles["outlet"].dropna().astype(str).unique())
    if outlet not in outlets:
        raise ValueError(f"unknown outlet {outlet!r}; the corpus has: {outlets}")
    others = [o for o in outlets if o != outlet]
    amap = articles[["article_id", "outlet"]].drop_duplicates("article_id")
    cols = ["kind", "item", "group_id", "outlets", "share_of_outlets", "articles", "carried_by",
            "article_id", "sentence_id", "start", "end"]
    parts = []

    def collect(kind, frame, item_col, label=None):
        if frame is None or frame.empty:
            return
        f = frame.merge(amap, on="article_id", how="left")
        f = f[f[item_col].notna()]
        if f.empty:
            return
        present = set(f.loc[f["outlet"] == outlet, item_col])
        f = f[~f[item_col].isin(present)].sort_values(["article_id"] + [
            c for c in ("sentence_id", "start") if c in f.columns], kind="stable")
        if f.empty:
            return
        g = f.groupby(item_col, sort=False)
        res = pd.DataFrame({
            "outlets": g["outlet"].nunique(),
            "articles": g["article_id"].nunique(),
            "carried_by": g["outlet"].agg(lambda s: sorted(set(map(str, s)))),
        })
        first = g.head(1).set_index(item_col)
        for c in ("article_id", "sentence_id", "start", "end"):
            res[c] = first[c] if c in first.columns else pd.NA
        res = res.reset_index().rename(columns={item_col: "key"})
        res["kind"] = kind
        res["item"] = res["key"].map(label) if label is not None else res["key"].astype(str)
        res["group_id"] = res["key"] if kind == "statement" else pd.NA
        parts.append(res.drop(columns="key"))

    kinds = set(kinds)
    if "actor" in kinds:
        mentions = _frame(corpus, "mentions")
        collect("actor", mentions, "actor")
    if "issue" in kinds:
        collect("issue", _frame(corpus, "issue_hits"), "issue")
    if "statement" in kinds:
        if aligned is None:
            aligned = align_statements(_frame(corpus, "statements"))
        if len(aligned):
            reps = aligned[aligned["is_representative"]].set_index("group_id")
            labels = {gid: f"{r.get('speaker', '')}: {str(r['text'])[:120]}"
                      for gid, r in reps.iterrows()}
            st = aligned.copy()
            # trace statement rows to the representative when it is carried elsewhere
            collect("statement", st, "group_id", label=labels)
    if not parts or not others:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    res = pd.concat(parts, ignore_index=True)
    res["share_of_outlets"] = res["outlets"] / len(others)
    res = res[res["share_of_outlets"] >= min_share]
    res = res.sort_values(["share_of_outlets", "articles", "kind", "item"],
                          ascending=[False, False, True, True], kind="stable")
    res["group_id"] = res["group_id"].astype("Int64")
    return res[cols].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# syndication: shared paragraphs and near-duplicate articles
# ---------------------------------------------------------------------------------------------

_CONTENT_KINDS = {"headline", "standfirst", "subheading", "body", "dateline"}


def _token_hashes(words: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))


def _shingles(words: list[str], k: int) -> np.ndarray:
    """Stable 64-bit hashes of the word k-shingles (unique)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    h = _token_hashes(words)
    k = min(k, len(h))
    acc = np.zeros(len(h) - k + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for p in range(k):
            acc = acc * np.uint64(1_000_003) + h[p:len(h) - k + 1 + p]
    return np.unique(acc)


_PRIME = np.uint64(4294967311)  # smallest prime above 2**32: a*x+b stays inside 64 bits
_RNG = np.random.default_rng(20251121)
_PERM_A = _RNG.integers(1, 1 << 32, size=128, dtype=np.uint64)
_PERM_B = _RNG.integers(0, 1 << 32, size=128, dtype=np.uint64)


def _minhash(sh: np.ndarray, n_perm: int) -> np.ndarray:
    """MinHash signature (n_perm values) of a set of 64-bit shingle hashes."""
    x = ((sh ^ (sh >> np.uint64(32))) & np.uint64(0xFFFFFFFF))[None, :]
    v = (_PERM_A[:n_perm, None] * x + _PERM_B[:n_perm, None]) % _PRIME
    return v.min(axis=1)


def _lsh_buckets(shingle_sets: list[np.ndarray], *, bands: int, rows: int) -> list[list[int]]:
    """Buckets (lists of indices, 2+ members) of items whose MinHash signatures agree on one band."""
    n_perm = bands * rows
    buckets: dict[tuple, list[int]] = {}
    for i, sh in enumerate(shingle_sets):
        if len(sh) == 0:
            continue
        sig = _minhash(sh, n_perm)
        for b in range(bands):
            buckets.setdefault((b, sig[b * rows:(b + 1) * rows].tobytes()), []).append(i)
    return [ids for ids in buckets.values() if len(ids) > 1]


def _leader_clusters(order: list[int], buckets: list[list[int]], same, *,
                     max_checks: int = 25) -> dict[int, int]:
    """Leader clustering over LSH candidates: item -> its cluster's leader.

    Items are visited in ``order`` (earliest published first). An item joins the first leader
    sharing an LSH bucket with it for which ``same(leader, item)`` holds (at most
    ``max_checks`` leaders tried), else it becomes a leader. Every member is thus verified
    against its leader directly (no chaining drift), and the work stays linear even when one
    wire paragraph sits in thousands of articles.
    """
    of_item: dict[int, list[int]] = {}
    for b, ids in enumerate(buckets):
        for i in ids:
            of_item.setdefault(i, []).append(b)
    bucket_leaders: dict[int, list[int]] = {}
    leader: dict[int, int] = {}
    for x in order:
        tried = set()
        for b in of_item.get(x, ()):
            for lead in bucket_leaders.get(b, ()):
                if lead in tried:
                    continue
                tried.add(lead)
                if same(lead, x):
                    leader[x] = lead
                    break
                if len(tried) >= max_checks:
                    break
            if x in leader or len(tried) >= max_checks:
                break
        if x not in leader:
            leader[x] = x
            for b in of_item.get(x, ()):
                bucket_leaders.setdefault(b, []).append(x)
    return leader


def _first_article(article_ids, order: dict) -> str:
    """The original among ``article_ids``: earliest published, else lowest article_id.

    Dates decide only between two dated articles; when one of a pair is undated (scraped wire
    copy often is) the lower article_id wins. Applied as a tournament in article_id order, so
    the pick is deterministic.
    """
    best = None
    for aid in sorted(set(article_ids)):
        if best is None:
            best = aid
            continue
        kb, ka = order.get(best, (1, 0, best)), order.get(aid, (1, 0, aid))
        if kb[0] == 0 and ka[0] == 0 and ka[1] < kb[1]:
            best = aid
    return best


def _article_order(articles: pd.DataFrame) -> dict:
    """article_id -> sort key: earliest published first (undated last), then article_id."""
    pub = (pd.to_datetime(articles["published"], errors="coerce", utc=True, format="mixed")
           if "published" in articles.columns else pd.Series(pd.NaT, index=articles.index))
    keys = {}
    for aid, p in zip(articles["article_id"].astype(str), pub):
        keys[aid] = (1, 0, aid) if pd.isna(p) else (0, p.value, aid)
    return keys


def find_syndication(corpus, *, threshold: float = 0.9, min_chars: int = 80) -> pd.DataFrame:
    """Paragraphs shared across articles (wire copy reused by several sites).

    One row per paragraph that belongs to a group of identical or near-identical paragraphs
    spanning at least two articles. Columns:

    ``article_id, paragraph_id, start, end, group_id, is_copy, original_article_id, similarity``

    - ``original_article_id``: the group's first article -- earliest ``published``, else
      lowest ``article_id`` (dates decide only between two dated articles: scraped wire copy
      is often undated while a rewrite carries a date).
    - ``is_copy``: True for a paragraph first seen in another article (every member outside the
      original article); the original's paragraphs are False, so counting only
      ``~is_copy`` rows counts shared text once.
    - ``similarity``: rapidfuzz ``ratio`` (0..1) of the normalized paragraph to the original's.

    Paragraphs are compared after normalization (case, accents, quote marks, punctuation,
    whitespace). Exact duplicates are grouped by hashing; near-identical ones are found with
    MinHash LSH over word 3-shingles and verified with rapidfuzz against the group's first
    paragraph (leader clustering, so every copy is within ``threshold`` of it). Content
    paragraphs shorter than ``min_chars`` normalized characters (subheadings, "Comments ()")
    and byline/sources/caption/trailer paragraphs are not considered.
    """
    paragraphs = _frame(corpus, "paragraphs")
    articles = _frame(corpus, "articles")
    _check_columns(paragraphs, ("article_id", "paragraph_id", "start", "end", "text"),
                   "paragraphs")
    cols = ["article_id", "paragraph_id", "start", "end", "group_id", "is_copy",
            "original_article_id", "similarity"]
    p = paragraphs
    if "kind" in p.columns:
        p = p[p["kind"].astype(str).isin(_CONTENT_KINDS)]
    p = p.reset_index(drop=True)
    words = [_words(t) for t in p["text"].tolist()]
    norms = [" ".join(w) for w in words]
    ok = [i for i, s in enumerate(norms) if len(s) >= min_chars]
    aid = p["article_id"].astype(str).tolist()

    order = _article_order(articles)
    pid = p["paragraph_id"].astype(int).tolist()
    occ_key = lambda i: (order.get(aid[i], (2, 0, aid[i])), pid[i])
    # exact duplicates share one distinct text; near-identical distinct texts are clustered
    occurrences: dict[str, list[int]] = {}
    for i in ok:
        occurrences.setdefault(norms[i], []).append(i)
    distinct = list(occurrences)
    first = [min(occurrences[t], key=occ_key) for t in distinct]
    sh = [_shingles(words[first[x]], 3) for x in range(len(distinct))]
    leader = _leader_clusters(
        sorted(range(len(distinct)), key=lambda x: occ_key(first[x])),
        _lsh_buckets(sh, bands=16, rows=4),
        same=lambda x, y: bool(fuzz.ratio(distinct[x], distinct[y],
                                          score_cutoff=threshold * 100)))
    groups: dict[int, list[int]] = {}
    for x, lead in leader.items():
        groups.setdefault(lead, []).extend(occurrences[distinct[x]])
    recs = []
    gid = 0
    for lead in sorted(groups, key=lambda x: occ_key(first[x])):
        mem = sorted(groups[lead], key=occ_key)
        if len({aid[i] for i in mem}) < 2:
            continue
        orig_article = _first_article((aid[i] for i in mem), order)
        orig = min((i for i in mem if aid[i] == orig_article), key=lambda i: pid[i])
        for i in mem:
            sim = 1.0 if norms[i] == norms[orig] else fuzz.ratio(norms[i], norms[orig]) / 100
            recs.append((p.at[i, "article_id"], pid[i], int(p.at[i, "start"]),
                         int(p.at[i, "end"]), gid, aid[i] != orig_article, orig_article,
                         round(sim, 4)))
        gid += 1
    res = pd.DataFrame.from_records(recs, columns=cols)
    if res.empty:
        res = pd.DataFrame({
            "article_id": pd.Series(dtype=paragraphs["article_id"].dtype),
            "paragraph_id": pd.Series(dtype="int64"), "start": pd.Series(dtype="int64"),
            "end": pd.Series(dtype="int64"), "group_id": pd.Series(dtype="int64"),
            "is_copy": pd.Series(dtype="bool"),
            "original_article_id": pd.Series(dtype="string"),
            "similarity": pd.Series(dtype="float64")})
    res["is_copy"] = res["is_copy"].astype(bool)
    res["group_id"] = res["group_id"].astype("int64")
    return res


def near_duplicates(corpus, *, threshold: float = 0.8) -> pd.DataFrame:
    """Near-duplicate articles: the same story republished, possibly trimmed or extended.

    Articles are clustered around leaders, earliest published first: an article joins the first
    leader whose word 3-shingle set has a Jaccard similarity or a containment >= ``threshold``
    with its own, else it leads a cluster itself. Each cluster's original is its earliest
    published article, else lowest article_id (dates decide only between dated articles). One row per
    (original, other member) pair -- so a story republished by 500 sites gives 500 rows, not
    125,000. Columns: ``group_id, article_id_a (the original), article_id_b, outlet_a,
    outlet_b, similarity (Jaccard to the original), containment (share of the smaller
    article's shingles found in the other: a wire story plus local additions),
    original_article_id``. Candidates come from MinHash LSH (content paragraphs only), so this
    is sub-quadratic; pairs whose Jaccard is below ~0.5 are rarely proposed, so a short excerpt
    of a long article may be missed (:func:`find_syndication` still flags its paragraphs).
    """
    paragraphs = _frame(corpus, "paragraphs")
    articles = _frame(corpus, "articles")
    p = paragraphs
    if "kind" in p.columns:
        p = p[p["kind"].astype(str).isin(_CONTENT_KINDS)]
    texts = p.groupby(p["article_id"].astype(str), sort=True)["text"].agg(
        lambda s: " ".join(map(str, s)))
    ids = texts.index.tolist()
    sh = [_shingles(_words(t), 3) for t in texts.tolist()]
    outlet = dict(zip(articles["article_id"].astype(str), articles["outlet"].astype(str))) \
        if "outlet" in articles.columns else {}
    order = _article_order(articles)

    def scores(x, y):
        a, b = sh[x], sh[y]
        if len(a) == 0 or len(b) == 0:
            return 0.0, 0.0
        inter = len(np.intersect1d(a, b, assume_unique=True))
        return inter / (len(a) + len(b) - inter), inter / min(len(a), len(b))

    key = lambda x: order.get(ids[x], (2, 0, ids[x]))
    best: dict[tuple[int, int], tuple[float, float]] = {}

    def same(lead, x):
        sc = scores(lead, x)
        best[(lead, x)] = sc
        return max(sc) >= threshold

    leader = _leader_clusters(sorted(range(len(ids)), key=key),
                              _lsh_buckets(sh, bands=10, rows=5), same)
    clusters: dict[int, list[int]] = {}
    for x, lead in leader.items():
        clusters.setdefault(lead, []).append(x)
    recs = []
    gid = 0
    for lead in sorted(clusters, key=key):
        members = sorted(clusters[lead], key=key)
        if len(members) < 2:
            continue
        first = _first_article((ids[x] for x in members), order)
        if first != ids[lead]:
            lead = ids.index(first)
        for x in members:
            if x == lead:
                continue
            jac, cont = best.get((lead, x)) or scores(lead, x)
            recs.append((gid, ids[lead], ids[x], outlet.get(ids[lead]), outlet.get(ids[x]),
                         round(jac, 4), round(cont, 4), ids[lead]))
        gid += 1
    cols = ["group_id", "article_id_a", "article_id_b", "outlet_a", "outlet_b", "similarity",
            "containment", "original_article_id"]
    res = pd.DataFrame.from_records(recs, columns=cols)
    res["group_id"] = res["group_id"].astype("int64")
    return res
