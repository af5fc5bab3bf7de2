"""Quality of the analysis modules on the held-out gold set.

    .venv/bin/python benchmarks/quality.py                 # summary table
    .venv/bin/python benchmarks/quality.py --details       # + every FP/FN with article id and text
    .venv/bin/python benchmarks/quality.py --json          # machine-readable
    .venv/bin/python benchmarks/quality.py --check         # exit 1 if a stage is below its bar

Loads the held-out articles with ``ak.load_corpus(<dir>)`` and merges every ``gold_*.json``
in the folder (format: docs/annotation.md). Scores, micro-averaged over (article, item):

- persons:    distinct ``actor`` of ``corpus.mentions`` rows with kind == "person", per article,
              matched one-to-one against the gold persons (see :func:`names_match`).
- statements: detection (a predicted row matches a gold statement of the same article when
              their character spans overlap by >= 50 % of the shorter; token overlap when the
              gold text cannot be located), then speaker correctness of the matched pairs.
- issues:     (article, issue) presence; predicted = issues with >= 1 row in corpus.issue_hits.

A stage whose module does not import (or whose frame fails to build) is reported as
"not available" instead of crashing. See benchmarks/QUALITY.md for the matching rules.
The matching helpers are module-level pure functions (tested in tests/test_quality_scorer.py).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import traceback
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = "tests/fixtures/heldout"
BARS = {"persons": 0.95, "statements": 0.90, "speakers": 0.80, "issues": 0.92}
UNATTRIBUTED = "unattributed"
OVERLAP_MIN = 0.5

# --------------------------------------------------------------------------- names

HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady president prime minister chancellor senator sen "
    "rep gen general secretary state vice pm mp spokesman spokeswoman spokesperson envoy aide "
    "special foreign defence defense of king queen pope".split()
)
PARTICLES = frozenset("von van der den de del della di da du la le al el bin ibn ben st".split())
# whole-token transliteration variants -> one spelling
TOKEN_VARIANTS = {
    "yury": "yuri", "yurii": "yuri", "iurii": "yuri", "yuriy": "yuri",
    "ermak": "yermak", "umarov": "umerov", "dmitriyev": "dmitriev", "dmitryev": "dmitriev",
    "sergey": "sergei", "serhiy": "serhii", "andriy": "andrii", "andrey": "andrei",
    "dmitriy": "dmitry", "dmitrii": "dmitry",
}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"
_APOS = "'\u2019\u2018\u02bc`\u00b4"


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _raw_tokens(name) -> list[str]:
    """Casefolded tokens, accents/punctuation stripped, possessive 's removed."""
    if name is None:
        return []
    s = _strip_accents(str(name)).casefold()
    s = re.sub(f"[{_APOS}]s\\b", "", s)          # possessive 's
    s = re.sub(f"[{_APOS}]", "", s)               # O'Brien -> obrien
    s = re.sub(f"[{_DASHES}]", " ", s)            # Al-Khulaifi -> al khulaifi
    s = re.sub(r"[^\w\s]", " ", s)
    return s.split()


def name_tokens(name) -> list[str]:
    """Normalized tokens of a person name: casefolded, accents and punctuation stripped,
    possessive removed, leading honorifics/titles dropped ("Sir Keir Starmer" -> keir starmer)."""
    toks = _raw_tokens(name)
    while len(toks) > 1 and toks[0] in HONORIFICS:
        toks = toks[1:]
    return toks


def canon_token(tok: str) -> str:
    """One spelling for common transliteration variants of a name token:
    Zelenskyy/Zelenskiy/Zelensky, Yuri/Yury/Yurii, Ermak/Yermak, Umarov/Umerov,
    Dmitriyev/Dmitriev, Serhiy/Serhii ..."""
    tok = TOKEN_VARIANTS.get(tok, tok)
    if len(tok) > 3:
        tok = re.sub(r"(?:yy|iy|ij|ii|y)$", "y", tok)   # -yy/-iy/-ii/-y -> -y
        tok = re.sub(r"iyev$", "iev", tok)
    return TOKEN_VARIANTS.get(tok, tok)


def split_name(name) -> tuple[list[str], str]:
    """(given-name tokens, surname) with canonical tokens; particles are not given names."""
    toks = [canon_token(t) for t in name_tokens(name)]
    if not toks:
        return [], ""
    given = [t for t in toks[:-1] if t not in PARTICLES]
    return given, toks[-1]


def names_match(gold, pred, aliases=()) -> bool:
    """Fair-but-not-lax person name match.

    Equal after normalization; or same surname (transliteration variants unified) with a
    compatible first name (missing on one side, or the same initial); or the gold name equals
    one of the predicted actor's codebook aliases.
    """
    gt, pt = name_tokens(gold), name_tokens(pred)
    if not gt or not pt:
        return False
    if gt == pt:
        return True
    g_given, g_sur = split_name(gold)
    p_given, p_sur = split_name(pred)
    if g_sur and g_sur == p_sur:
        if not g_given or not p_given:
            return True
        if g_given[0][0] == p_given[0][0]:
            return True
    gcanon = [canon_token(t) for t in gt]
    for alias in aliases or ():
        at = name_tokens(alias)
        if at and (at == gt or [canon_token(t) for t in at] == gcanon):
            return True
    return False


def institution_key(name) -> str:
    """Casefolded institution name without 'the', possessives and punctuation."""
    toks = [t for t in _raw_tokens(name) if t != "the"]
    return " ".join(toks)


def institutions_match(gold, pred) -> bool:
    """'Kremlin' == 'the Kremlin'; a multi-word name contained word-for-word in the other
    ('city military administration' ~ 'Kyiv city military administration'); 'Ukraine' does
    NOT match 'Ukraine's Energy Ministry'."""
    g, p = institution_key(gold), institution_key(pred)
    if not g or not p:
        return False
    if g == p:
        return True
    short, long_ = sorted((g, p), key=len)
    return len(short.split()) >= 2 and f" {short} " in f" {long_} "


# capital-for-government metonymy: "Kyiv insists" / "Ukraine insists" name the same speaker
METONYMS = {
    "kyiv": "ukraine", "kiev": "ukraine", "moscow": "russia", "washington": "united states",
    "us": "united states", "usa": "united states", "america": "united states",
    "berlin": "germany", "paris": "france", "london": "united kingdom", "uk": "united kingdom",
    "britain": "united kingdom", "brussels": "european union", "eu": "european union",
    "beijing": "china", "ankara": "turkey", "budapest": "hungary",
}


def _metonym_key(name) -> str:
    k = institution_key(name).replace("u s", "us").replace("u k", "uk")
    return METONYMS.get(k, k)


def speakers_match(gold_speaker, pred_speaker, pred_attribution=None, aliases=()) -> bool:
    """Gold 'unattributed' matches attribution == 'unattributed' (or a predicted speaker that
    is itself 'unattributed'/empty); otherwise persons by :func:`names_match`, institutions by
    :func:`institutions_match`, and a capital matches its country ("Kyiv" ~ "Ukraine")."""
    g = (gold_speaker or "").strip()
    p = "" if pred_speaker is None or _isna(pred_speaker) else str(pred_speaker).strip()
    attr = "" if pred_attribution is None or _isna(pred_attribution) else str(pred_attribution)
    if g.casefold() == UNATTRIBUTED:
        return attr.casefold() == UNATTRIBUTED or (not attr and p.casefold() in ("", UNATTRIBUTED))
    if attr.casefold() == UNATTRIBUTED or not p:
        return False
    return names_match(g, p, aliases) or institutions_match(g, p) or _metonym_key(g) == _metonym_key(p)


def _isna(x) -> bool:
    try:
        return bool(x != x)  # NaN / pd.NA-safe enough for scalars
    except Exception:
        try:
            import pandas as pd
            return bool(pd.isna(x))
        except Exception:
            return False


def match_one_to_one(golds, preds, ok) -> list[tuple[int, int]]:
    """Maximum bipartite matching (Kuhn) between gold and predicted items; ``ok(g, p)`` says
    whether a pair may match. Returns (gold_index, pred_index) pairs."""
    adj = [[j for j, p in enumerate(preds) if ok(g, p)] for g in golds]
    owner: dict[int, int] = {}

    def augment(i, seen):
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(golds)):
        augment(i, set())
    return sorted((i, j) for j, i in owner.items())


# --------------------------------------------------------------------------- spans

_CANON_CHARS = {**{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033"},
                **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u02bc`"},
                **{c: "-" for c in _DASHES}}


def _canon_with_map(text: str) -> tuple[str, list[int]]:
    """Canonical form for fuzzy location (quotes/dashes unified, whitespace collapsed,
    casefolded) and, for each canonical char, its offset in ``text``."""
    out, idx = [], []
    prev_space = False
    for i, ch in enumerate(text):
        ch = _CANON_CHARS.get(ch, ch)
        if ch.isspace() or ch == "\u00a0":
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        for c in ch.casefold():
            out.append(c)
            idx.append(i)
    return "".join(out), idx


def locate(needle: str, haystack: str, normalize=None) -> tuple[int, int] | None:
    """Character span of ``needle`` in ``haystack``: exact, then after ``normalize`` (the
    toolkit's normalize_text), then quote/dash/space/case-insensitively. None if absent."""
    needle = needle.strip()
    if not needle:
        return None
    cands = [needle]
    if normalize is not None:
        try:
            n = normalize(needle).strip()
            if n and n != needle:
                cands.append(n)
        except Exception:
            pass
    for c in cands:
        i = haystack.find(c)
        if i >= 0:
            return i, i + len(c)
    hc, hmap = _canon_with_map(haystack)
    for c in cands:
        nc, _ = _canon_with_map(c)
        nc = nc.strip(" \"'")
        if not nc:
            continue
        i = hc.find(nc)
        if i >= 0:
            return hmap[i], hmap[i + len(nc) - 1] + 1
    return None


def span_overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Overlap of two [start, end) spans as a share of the shorter one (0..1)."""
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    if inter <= 0 or shorter <= 0:
        return 0.0
    return inter / shorter


_WORD = re.compile(r"\w+", re.UNICODE)


def token_overlap(a: str, b: str) -> float:
    """Multiset word overlap as a share of the shorter text's words (0..1)."""
    ta = Counter(w.casefold() for w in _WORD.findall(a or ""))
    tb = Counter(w.casefold() for w in _WORD.findall(b or ""))
    shorter = min(sum(ta.values()), sum(tb.values()))
    if shorter == 0:
        return 0.0
    return sum((ta & tb).values()) / shorter


def greedy_match(golds, preds, overlap_fn, threshold=OVERLAP_MIN) -> list[tuple[int, int, float]]:
    """One-to-one greedy matching by decreasing overlap; pairs below ``threshold`` never match."""
    pairs = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            ov = overlap_fn(g, p)
            if ov >= threshold:
                pairs.append((ov, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_g, used_p, out = set(), set(), []
    for ov, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((i, j, ov))
    return sorted(out)


def statement_overlap(g: dict, p: dict) -> float:
    """Gold/pred statement overlap: span overlap when the gold text was located in the
    article, else token overlap of the texts."""
    if g.get("span") is not None and p.get("span") is not None:
        return span_overlap(g["span"], p["span"])
    return token_overlap(g["text"], p.get("text", ""))


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "pred": n_pred, "gold": n_gold, "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(f, 4)}


# --------------------------------------------------------------------------- gold + corpus

def load_gold(folder: Path) -> dict:
    """Merge every gold_*.json in ``folder``; an article id in two files is an error."""
    gold: dict = {}
    files = sorted(folder.glob("gold_*.json"))
    if not files:
        raise SystemExit(f"{folder}: no gold_*.json files")
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise SystemExit(f"{f}: not valid JSON: {e}") from None
        for aid, g in data.items():
            if aid in gold:
                raise SystemExit(f"{f}: article {aid!r} is already in another gold file")
            for key in ("persons", "statements", "issues"):
                if key not in g:
                    raise SystemExit(f"{f}: article {aid!r} has no {key!r}")
            gold[aid] = g
    return gold


def load_corpus(folder: Path, log: list):
    import analystkit as ak
    try:
        return ak.load_corpus(str(folder))
    except Exception as e:  # e.g. the loader reading gold_*.json as an article table
        log.append(f"load_corpus({folder}) failed ({type(e).__name__}: {str(e)[:160]}); "
                   "loading the .txt/.md files of the folder instead")
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md"))
        return ak.load_corpus([str(p) for p in files])


def _frame(corpus, name, columns):
    """corpus.<name> or the reason it is not available."""
    try:
        df = getattr(corpus, name)
    except Exception as e:
        return None, f"{type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}"
    missing = [c for c in columns if c not in df.columns]
    if missing:
        return None, f"{name} lacks columns {missing}"
    return df, None


def _aliases_by_actor(log) -> dict:
    try:
        import analystkit as ak
        cb = ak.load_actors()
        out = {}
        for actor, al in zip(cb["actor"], cb["aliases"] if "aliases" in cb.columns else [()] * len(cb)):
            if isinstance(al, str):
                al = [al]
            try:
                out[str(actor)] = [str(a) for a in (al if al is not None else ())]
            except TypeError:
                out[str(actor)] = []
        return out
    except Exception as e:
        log.append(f"load_actors() not usable for alias matching ({type(e).__name__})")
        return {}


# --------------------------------------------------------------------------- scoring

def score_persons(gold, mentions, aliases) -> tuple[dict, list]:
    tp = n_pred = n_gold = 0
    errors = []
    for aid, g in gold.items():
        gp = list(dict.fromkeys(g["persons"]))
        sub = mentions[(mentions["article_id"] == aid) & (mentions["kind"].astype(str) == "person")]
        pp = sorted({str(a) for a in sub["actor"].dropna()})
        pairs = match_one_to_one(gp, pp, lambda a, b: names_match(a, b, aliases.get(b, ())))
        tp += len(pairs)
        n_pred += len(pp)
        n_gold += len(gp)
        mg = {i for i, _ in pairs}
        mp = {j for _, j in pairs}
        errors += [{"article_id": aid, "type": "FN", "text": x} for i, x in enumerate(gp) if i not in mg]
        errors += [{"article_id": aid, "type": "FP", "text": x} for j, x in enumerate(pp) if j not in mp]
    return prf(tp, n_pred, n_gold), errors


def score_statements(gold, statements, articles, aliases, normalize) -> tuple[dict, dict, dict, list]:
    texts = dict(zip(articles["article_id"].astype(str), articles["text"].astype(str)))
    det_tp = spk_tp = n_pred = n_gold = unlocated = 0
    errors = []
    for aid, g in gold.items():
        art = texts.get(aid)
        gs = []
        for st in g["statements"]:
            span = locate(st["text"], art, normalize) if art is not None else None
            if span is None:
                unlocated += 1
            gs.append({**st, "span": span})
        sub = statements[statements["article_id"].astype(str) == aid]
        ps = [{"span": (int(r.start), int(r.end)) if not (_isna(r.start) or _isna(r.end)) else None,
               "text": str(r.text), "speaker": r.speaker, "attribution": getattr(r, "attribution", None)}
              for r in sub.itertuples(index=False)]
        pairs = greedy_match(gs, ps, statement_overlap)
        det_tp += len(pairs)
        n_pred += len(ps)
        n_gold += len(gs)
        mg = {i for i, _, _ in pairs}
        mp = {j for _, j, _ in pairs}
        for i, j, _ in pairs:
            gsp, p = gs[i]["speaker"], ps[j]
            pspk = None if _isna(p["speaker"]) else p["speaker"]
            if speakers_match(gsp, pspk, p["attribution"], aliases.get(str(pspk), ())):
                spk_tp += 1
            else:
                errors.append({"article_id": aid, "type": "SPEAKER", "text": gs[i]["text"],
                               "gold": gsp, "pred": f"{pspk} ({p['attribution']})"})
        errors += [{"article_id": aid, "type": "FN", "text": gs[i]["text"], "gold": gs[i]["speaker"],
                    "located": gs[i]["span"] is not None} for i in range(len(gs)) if i not in mg]
        errors += [{"article_id": aid, "type": "FP", "text": ps[j]["text"],
                    "pred": f"{ps[j]['speaker']} ({ps[j]['attribution']})"} for j in range(len(ps)) if j not in mp]
    det = prf(det_tp, n_pred, n_gold)
    spk = prf(spk_tp, n_pred, n_gold)
    extra = {"gold_not_located": unlocated,
             "speaker_accuracy_on_matched": round(spk_tp / det_tp, 4) if det_tp else None}
    return det, spk, extra, errors


def score_issues(gold, issue_hits) -> tuple[dict, dict, list]:
    tp = n_pred = n_gold = 0
    per_issue: dict = {}
    errors = []
    for aid, g in gold.items():
        gi = set(g["issues"])
        pi = set(issue_hits.loc[issue_hits["article_id"].astype(str) == aid, "issue"].astype(str))
        tp += len(gi & pi)
        n_pred += len(pi)
        n_gold += len(gi)
        for iss in gi | pi:
            c = per_issue.setdefault(iss, [0, 0, 0])
            c[0] += iss in gi and iss in pi
            c[1] += iss in pi
            c[2] += iss in gi
        errors += [{"article_id": aid, "type": "FN", "text": x} for x in sorted(gi - pi)]
        errors += [{"article_id": aid, "type": "FP", "text": x} for x in sorted(pi - gi)]
    return prf(tp, n_pred, n_gold), {k: prf(*v) for k, v in sorted(per_issue.items())}, errors


def outlets_match(gold, pred) -> bool:
    """Outlet names: equal without 'the'/punctuation, word-for-word containment, or an
    acronym of the other ('AP' ~ 'Associated Press', 'AFP' ~ 'Agence France-Presse')."""
    g, p = institution_key(gold), institution_key(pred)
    if not g or not p:
        return False
    if g == p or institutions_match(gold, pred) or g in p.split() or p in g.split():
        return True
    for short, long_ in ((g, p), (p, g)):
        words = long_.split()
        if " " not in short and len(words) >= 2 and short == "".join(w[0] for w in words):
            return True
    return False


def score_outlets(gold, articles) -> dict:
    """Informational: parsed outlet vs the gold outlet, where the gold names one."""
    got = dict(zip(articles["article_id"].astype(str), articles["outlet"].astype(str)))
    n = ok = 0
    wrong = []
    for aid, g in gold.items():
        if not g.get("outlet") or aid not in got:
            continue
        n += 1
        if outlets_match(g["outlet"], got[aid]):
            ok += 1
        else:
            wrong.append({"article_id": aid, "gold": g["outlet"], "pred": got[aid]})
    return {"n": n, "correct": ok, "accuracy": round(ok / n, 4) if n else None, "wrong": wrong}


def evaluate(folder: Path, only: str | None = None) -> dict:
    """Score the corpus of ``folder`` against its merged gold; ``only`` is a regex that
    restricts scoring to matching article ids (e.g. "^a" for part A)."""
    folder = Path(folder)
    gold = load_gold(folder)
    if only:
        gold = {k: v for k, v in gold.items() if re.search(only, k)}
        if not gold:
            raise SystemExit(f"--only {only!r} matches no gold article")
    log: list[str] = []
    report: dict = {"dir": str(folder), "articles_gold": len(gold), "log": log, "stages": {}}
    try:
        import analystkit as ak
        corpus = load_corpus(folder, log)
        articles = corpus.articles
    except Exception as e:
        msg = f"corpus not available: {type(e).__name__}: {e}"
        for st in ("persons", "statements", "speakers", "issues"):
            report["stages"][st] = {"available": False, "reason": msg}
        report["traceback"] = traceback.format_exc(limit=3)
        return report
    ids = {i for i in articles["article_id"].astype(str) if not only or re.search(only, i)}
    report["articles_missing_from_corpus"] = sorted(set(gold) - ids)
    report["articles_without_gold"] = sorted(ids - set(gold))
    report["outlets"] = score_outlets(gold, articles)
    aliases = None

    mentions, why = _frame(corpus, "mentions", ["article_id", "actor", "kind"])
    if mentions is None:
        report["stages"]["persons"] = {"available": False, "reason": why}
    else:
        aliases = _aliases_by_actor(log)
        res, errs = score_persons(gold, mentions, aliases)
        report["stages"]["persons"] = {"available": True, **res, "errors": errs}

    statements, why = _frame(corpus, "statements", ["article_id", "start", "end", "text", "speaker"])
    if statements is None and mentions is not None:
        # corpus.statements may fail for a reason outside extraction (e.g. sentiment scoring
        # not landed yet): score ak.extract_statements directly, per docs/design.md
        try:
            statements = ak.extract_statements(corpus.sentences, mentions=mentions,
                                               paragraphs=corpus.paragraphs,
                                               codebook=getattr(corpus, "actor_codebook", None),
                                               verbs=getattr(corpus, "verbs", None))
            missing = [c for c in ("article_id", "start", "end", "text", "speaker") if c not in statements.columns]
            if missing:
                raise ValueError(f"extract_statements result lacks columns {missing}")
            log.append(f"corpus.statements not available ({why}); scored ak.extract_statements(...) directly")
        except Exception as e:
            statements = None
            why = f"{why}; extract_statements: {type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"
    if statements is None:
        for st in ("statements", "speakers"):
            report["stages"][st] = {"available": False, "reason": why}
    else:
        if aliases is None:
            aliases = _aliases_by_actor(log)
        if "attribution" not in statements.columns:
            statements = statements.assign(attribution=None)
        norm = getattr(ak, "normalize_text", None)
        det, spk, extra, errs = score_statements(gold, statements, articles, aliases, norm)
        report["stages"]["statements"] = {"available": True, **det, **extra,
                                          "errors": [e for e in errs if e["type"] != "SPEAKER"]}
        report["stages"]["speakers"] = {"available": True, **spk,
                                        "errors": [e for e in errs if e["type"] == "SPEAKER"]}

    hits, why = _frame(corpus, "issue_hits", ["article_id", "issue"])
    if hits is None:
        report["stages"]["issues"] = {"available": False, "reason": why}
    else:
        res, per_issue, errs = score_issues(gold, hits)
        report["stages"]["issues"] = {"available": True, **res, "per_issue": per_issue, "errors": errs}
    return report


def check(report: dict) -> list[str]:
    """Stages below their bar (an unavailable stage fails too)."""
    fails = []
    for st, bar in BARS.items():
        r = report["stages"].get(st, {})
        if not r.get("available"):
            fails.append(f"{st}: not available")
        elif r["f1"] < bar:
            fails.append(f"{st}: F1 {r['f1']:.3f} < {bar}")
    return fails


def format_report(report: dict, details: bool = False) -> str:
    lines = [f"held-out quality: {report['dir']} ({report['articles_gold']} gold articles)"]
    for msg in report.get("log", []):
        lines.append(f"  note: {msg}")
    if report.get("articles_missing_from_corpus"):
        lines.append(f"  gold articles missing from the corpus: {report['articles_missing_from_corpus']}")
    if report.get("articles_without_gold"):
        lines.append(f"  corpus articles without gold (ignored): {report['articles_without_gold']}")
    lines.append(f"  {'stage':<11} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'pred':>5} {'gold':>5}  bar")
    for st in ("persons", "statements", "speakers", "issues"):
        r = report["stages"].get(st, {})
        if not r.get("available"):
            lines.append(f"  {st:<11} not available ({r.get('reason', '?')})")
            continue
        lines.append(f"  {st:<11} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                     f"{r['tp']:5d} {r['pred']:5d} {r['gold']:5d}  {BARS[st]}")
    s = report["stages"].get("statements", {})
    if s.get("available"):
        lines.append(f"  statements: gold texts not located in articles.text: {s['gold_not_located']}; "
                     f"speaker accuracy on matched pairs: {s.get('speaker_accuracy_on_matched')}")
    o = report.get("outlets")
    if o and o["n"]:
        lines.append(f"  outlets (info): {o['correct']}/{o['n']} gold-named outlets parsed")
    iss = report["stages"].get("issues", {})
    if iss.get("available"):
        lines.append("  per issue: " + ", ".join(f"{k} {v['f1']:.2f}" for k, v in iss["per_issue"].items()))
    if details:
        for st in ("persons", "statements", "speakers", "issues"):
            r = report["stages"].get(st, {})
            if not r.get("available") or not r.get("errors"):
                continue
            lines.append(f"\n== {st} errors ({len(r['errors'])})")
            for e in sorted(r["errors"], key=lambda e: (e["article_id"], e["type"])):
                extra = "".join(f" [{k}: {e[k]}]" for k in ("gold", "pred") if k in e)
                if e.get("located") is False:
                    extra += " [gold text not located]"
                lines.append(f"  {e['type']:<7} {e['article_id']}: {e['text']!r}{extra}")
        if o and o.get("wrong"):
            lines.append("\n== outlets (info)")
            for w in o["wrong"]:
                lines.append(f"  {w['article_id']}: gold {w['gold']!r} parsed {w['pred']!r}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default=DEFAULT_DIR, help=f"held-out folder (default {DEFAULT_DIR})")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--details", action="store_true", help="list every FP/FN with article id and text")
    ap.add_argument("--only", metavar="REGEX", help="score only article ids matching REGEX (e.g. '^a')")
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a stage is unavailable or below its bar " +
                         ", ".join(f"{k} {v}" for k, v in BARS.items()))
    args = ap.parse_args(argv)
    folder = Path(args.dir)
    if not folder.is_absolute() and not folder.exists():
        folder = ROOT / folder
    if not folder.is_dir():
        print(f"{args.dir}: no such folder", file=sys.stderr)
        return 2
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    report = evaluate(folder, only=args.only)
    if args.json:
        out = json.loads(json.dumps(report, default=str))
        if not args.details:
            for r in out["stages"].values():
                r.pop("errors", None)
        print(json.dumps(out, indent=1, ensure_ascii=False, default=str))
    else:
        print(format_report(report, details=args.details))
    if args.check:
        fails = check(report)
        if fails:
            print("CHECK FAILED: " + "; ".join(fails), file=sys.stderr)
            return 1
        print("CHECK OK", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
