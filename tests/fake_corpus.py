"""A tiny hand-built corpus with the documented columns (docs/design.md), for testing
plots and widgets without depending on the analysis modules.

Offsets are computed from the texts, so ``articles.text[start:end]`` holds for every row.
One article contains ``<script>`` and ``<b>`` markup to test escaping.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd

ARTICLES = [
    ("a1", "Daily Planet", "Talks end without deal",
     "Talks end without deal. Yuri Ushakov said the talks were useful. "
     "Vladimir Putin met Steve Witkoff in Moscow. The territory question remains open."),
    ("a2", "Daily Planet", "Kremlin cautious",
     "Kremlin cautious on plan. \"We are far apart,\" Ushakov said. "
     "Putin and Witkoff discussed NATO membership for Ukraine."),
    ("b1", "Evening Post", "Europe sidelined",
     "Europe sidelined in peace plan. Zelensky warned that sanctions must stay. "
     "Witkoff praised the great progress on territory."),
    ("c1", "Wire <Agency>", "A <script>alert(1)</script> headline",
     "A <script>alert(1)</script> headline. Analysts said the <b>ceasefire</b> was fragile. "
     "Putin spoke about territory and sanctions."),
]

ACTORS = {
    "Yuri Ushakov": ("person", "Russia", True, ["Yuri Ushakov", "Ushakov"]),
    "Vladimir Putin": ("person", "Russia", True, ["Vladimir Putin", "Putin"]),
    "Steve Witkoff": ("person", "United States", True, ["Steve Witkoff", "Witkoff"]),
    "Volodymyr Zelensky": ("person", "Ukraine", True, ["Zelensky"]),
    "Kremlin": ("org", "Russia", True, ["Kremlin"]),
}

ISSUES = {"territory": ["territory"], "nato_membership": ["NATO"], "sanctions": ["sanctions"],
          "ceasefire": ["ceasefire"], "peace_plan": ["peace plan", "plan", "deal"]}

# (article_id, sentence_id, speaker, content regex, cue, kind, compound)
STATEMENTS = [
    ("a1", 1, "Yuri Ushakov", r"the talks were useful", "said", "indirect", 0.44),
    ("a2", 1, "Yuri Ushakov", r"We are far apart", "said", "direct", -0.2),
    ("b1", 1, "Volodymyr Zelensky", r"sanctions must stay", "warned", "indirect", -0.1),
    ("b1", 2, "Steve Witkoff", r"the great progress on territory", "praised", "indirect", 0.8),
    ("c1", 1, "unattributed", r"the <b>ceasefire</b> was fragile", "said", "indirect", -0.3),
]


def _frames(articles_spec=ARTICLES):
    arts, sents, toks, ments, stmts, hits = [], [], [], [], [], []
    for aid, outlet, title, text in articles_spec:
        arts.append(dict(article_id=aid, path=f"{aid}.txt", outlet=outlet, outlet_source="metadata",
                         title=title, text=text, n_chars=len(text)))
        for sid, m in enumerate(re.finditer(r"[^.]+\.", text)):
            s, e = m.start(), m.end()
            while text[s] == " ":
                s += 1
            sents.append(dict(article_id=aid, sentence_id=sid, paragraph_id=0,
                              kind="headline" if sid == 0 else "body", start=s, end=e, text=text[s:e]))
            for tid, t in enumerate(re.finditer(r"\w+|[^\w\s]", text[s:e])):
                tok = t.group()
                toks.append(dict(article_id=aid, sentence_id=sid, token_id=tid, token=tok,
                                 lower=tok.lower(), start=s + t.start(), end=s + t.end(),
                                 is_alpha=tok.isalpha(), is_stop=tok.lower() in {"the", "a", "and", "on", "in"},
                                 is_punct=not tok.isalnum()))
            for actor, (kind, aff, off, aliases) in ACTORS.items():
                pat = "|".join(sorted(map(re.escape, aliases), key=len, reverse=True))
                for mm in re.finditer(rf"\b(?:{pat})\b", text[s:e]):
                    ments.append(dict(article_id=aid, sentence_id=sid, start=s + mm.start(),
                                      end=s + mm.end(), surface=mm.group(), actor=actor, kind=kind,
                                      affiliation=aff, role="", is_official=off, method="codebook"))
            for issue, terms in ISSUES.items():
                pat = "|".join(map(re.escape, terms))
                for mm in re.finditer(rf"\b(?:{pat})\b", text[s:e]):
                    hits.append(dict(article_id=aid, sentence_id=sid, issue=issue, term=mm.group(),
                                     start=s + mm.start(), end=s + mm.end()))
    sent_df = pd.DataFrame(sents)
    text_of = {a["article_id"]: a["text"] for a in arts}
    counters: dict[str, int] = {}
    for aid, sid, speaker, pat, cue, kind, comp in STATEMENTS:
        if aid not in text_of:
            continue
        text = text_of[aid]
        m = re.search(re.escape(pat) if "<" in pat else pat, text)
        c = text.index(cue, m.end()) if cue in text[m.end():] else text.index(cue)
        sp = text.find(speaker.split()[-1]) if speaker != "unattributed" else -1
        stid = counters.get(aid, 0)
        counters[aid] = stid + 1
        stmts.append(dict(
            article_id=aid, statement_id=stid, sentence_id=sid, start=m.start(), end=m.end(),
            kind=kind, cue=cue, cue_start=c, cue_end=c + len(cue), text=text[m.start():m.end()],
            speaker=speaker, speaker_start=sp if sp >= 0 else None,
            speaker_end=sp + len(speaker.split()[-1]) if sp >= 0 else None,
            speaker_kind="person" if speaker != "unattributed" else "anonymous",
            affiliation="", is_official=speaker != "unattributed",
            attribution="explicit" if speaker != "unattributed" else "unattributed",
            compound=comp, pos=max(comp, 0), neu=1 - abs(comp), neg=max(-comp, 0),
            tone="positive" if comp >= 0.05 else "negative" if comp <= -0.05 else "neutral"))
    articles = pd.DataFrame(arts)
    tokens = pd.DataFrame(toks)
    issue_hits = pd.DataFrame(hits)
    return dict(articles=articles, sentences=sent_df, tokens=tokens, mentions=pd.DataFrame(ments),
                statements=pd.DataFrame(stmts), issue_hits=issue_hits,
                problems=pd.DataFrame({"path": ["bad<x>.txt"], "reason": ["empty"], "detail": ["0 bytes"]}))


def _coverage(f) -> pd.DataFrame:
    outlets = sorted(f["articles"]["outlet"].unique())
    hits = f["issue_hits"].merge(f["articles"][["article_id", "outlet"]], on="article_id")
    sents = f["sentences"].merge(f["articles"][["article_id", "outlet"]], on="article_id")
    toks = f["tokens"].merge(f["articles"][["article_id", "outlet"]], on="article_id")
    rows = []
    for o in outlets:
        for issue in sorted(ISSUES):
            h = hits[(hits["outlet"] == o) & (hits["issue"] == issue)]
            n_s = len(sents[sents["outlet"] == o])
            rows.append(dict(outlet=o, issue=issue, hits=len(h), articles=h["article_id"].nunique(),
                             sentences=len(h[["article_id", "sentence_id"]].drop_duplicates()),
                             share_of_sentences=len(h[["article_id", "sentence_id"]].drop_duplicates()) / n_s,
                             per_1k_tokens=1000 * len(h) / max(1, len(toks[toks["outlet"] == o]))))
    return pd.DataFrame(rows)


class FakeCorpus(SimpleNamespace):
    """Duck-typed stand-in for analystkit.Corpus (frames + filter)."""

    def filter(self, outlet=None, article_id=None):
        spec = [a for a in self._spec
                if (outlet is None or a[1] in ([outlet] if isinstance(outlet, str) else outlet))
                and (article_id is None or a[0] in article_id)]
        return make_corpus(spec)


def make_corpus(spec=ARTICLES) -> FakeCorpus:
    f = _frames(spec)
    return FakeCorpus(_spec=list(spec), coverage=_coverage(f), **f)
