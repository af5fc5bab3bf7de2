"""A self-contained HTML report: the notebooks' charts and key tables in one offline file.

    analystkit report seeds/ --out report.html
    ak.report.write_report(corpus, "report.html")

plotly.js is embedded once (no CDN), every article-derived string is HTML-escaped, and each
table row keeps ``article_id`` and offsets so a reader can trace it to its sentence.
"""
from __future__ import annotations

import datetime as _dt
import html
from pathlib import Path

import pandas as pd
import plotly.io as pio

from . import plots, widgets

__all__ = ["write_report", "report_html"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{font-size:1.6rem} h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;font-size:.85rem;margin:.8rem 0;width:100%}
th,td{border:1px solid #e3e3e3;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f6f6} .note{color:#666;font-size:.85rem}
"""


def _table(frame: pd.DataFrame, columns, *, limit: int = 50) -> str:
    cols = [c for c in columns if c in frame.columns]
    if frame.empty or not cols:
        return "<p class='note'>None.</p>"
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    rows = []
    for rec in frame[cols].head(limit).itertuples(index=False):
        cells = "".join(f"<td>{html.escape('' if pd.isna(v) else str(v)) if not isinstance(v, (list, tuple)) else html.escape(', '.join(map(str, v)))}</td>"
                        for v in rec)
        rows.append(f"<tr>{cells}</tr>")
    more = f"<p class='note'>{len(frame) - limit} more rows not shown.</p>" if len(frame) > limit else ""
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{more}"


def _sections(corpus) -> list[tuple[str, list]]:
    colors = plots.outlet_colors(corpus.outlets)
    arts = corpus.articles
    stats = widgets.article_stats(arts, corpus.sentences, corpus.tokens)
    out: list[tuple[str, list]] = []
    out.append(("Corpus", [
        plots.articles_per_outlet(arts, colors=colors),
        plots.size_per_outlet(stats, colors=colors),
        _table(arts, ["article_id", "outlet", "outlet_source", "title", "author", "published", "dateline"]),
        "<h3>Problems</h3>" + _table(corpus.problems, ["path", "reason", "detail"]),
    ]))
    from .actors import cooccurrence

    mentions = corpus.mentions
    out.append(("Actors", [
        plots.actor_mentions(widgets.actor_counts(mentions, arts), colors=colors),
        plots.cooccurrence_network(cooccurrence(mentions, within="sentence")),
    ]))
    st = widgets.with_outlet(corpus.statements, arts)
    out.append(("Statements", [
        plots.tone_by_speaker(st, colors=colors),
        plots.tone_by_outlet(st, colors=colors),
        plots.official_vs_other(st, colors=colors),
        _table(st, ["outlet", "speaker", "kind", "cue", "text", "tone", "compound", "article_id", "start", "end"],
               limit=100),
    ]))
    out.append(("Issues", [
        plots.coverage_heatmap(corpus.coverage, measure="share_of_sentences"),
        _table(corpus.coverage, ["outlet", "issue", "hits", "articles", "sentences", "share_of_sentences",
                                 "per_1k_tokens"], limit=200),
    ]))
    return out


def report_html(corpus, *, title: str | None = None) -> str:
    """The report as one HTML string (plotly.js embedded once, text escaped)."""
    title = title or f"analystkit report: {len(corpus.articles)} articles from {corpus.articles['outlet'].nunique()} outlets"
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
             f"<p class='note'>Generated {_dt.date.today().isoformat()} by analystkit. Every table row carries "
             "article_id and character offsets into the article text.</p>"]
    first = True
    for name, items in _sections(corpus):
        parts.append(f"<h2>{html.escape(name)}</h2>")
        for item in items:
            if isinstance(item, str):
                parts.append(item)
            else:
                parts.append(pio.to_html(item, full_html=False, include_plotlyjs=first,
                                         config={"displaylogo": False}))
                first = False
    parts.append("</body></html>")
    return "".join(parts)


def write_report(corpus, path, *, title: str | None = None) -> Path:
    """Write :func:`report_html` to ``path``; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(corpus, title=title), encoding="utf-8")
    return path
