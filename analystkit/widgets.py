"""ipywidgets panels for the curated notebooks and the Voila dashboard.

A notebook builds one :func:`source_filter` and passes it to each panel; every
chart and table of every panel then follows the selected sources. Each panel is an
``ipywidgets.VBox`` (display it as the last expression of a cell) with:

- ``panel.source``     the shared :class:`SourceFilter` (all outlets selected by default);
- ``panel.charts``     dict name -> :class:`Chart` (an ``ipywidgets.Output`` showing a plotly
                       figure as a ``application/vnd.plotly.v1+json`` bundle, rendered by the
                       jupyterlab-plotly extension: offline, and it works in Voila, see below);
- ``panel.figures_for(outlets)`` -> dict name -> ``go.Figure``: the pure computation behind
                       a filter change (what the benchmark times);
- ``panel.update(outlets=None)`` recomputes figures, labels and tables for the selection
                       (``None`` = the filter's current value) and returns the figures;
- ``panel.status``     an HTML label "N articles from K of M sources".

Callbacks stay fast on large corpora because every panel prepares small per-article
or per-outlet aggregates once, at construction, and a filter change only subsets those.

Why not ``go.FigureWidget``: plotly 7's FigureWidget is an anywidget that ships plotly's 5 MB
ES module with every chart, and anywidget gives each model 2 s to import it. In Voila, with the
nine charts of the dashboard on a busy 2-core machine, 8 of 9 models failed to initialize
("[anywidget] Failed to initialize model.") and their charts never followed the filter. A
figure displayed as a mime bundle inside an Output widget has no such start-up cost, is drawn
complete from its first figure (the Voila "empty FigureWidget" trap cannot happen) and is
replaced wholesale on every update. Selections are made with pickers (dropdowns), which
also work from the keyboard, instead of clicks on points.

Article text is never rendered as live HTML: every string that comes from an article
(sentences, titles, speakers, outlets, paths) goes through :func:`html.escape`.
"""
from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import ipywidgets as W
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import _plotly_utils.utils as _pu   # plotly's own typed-array encoding (see _json_spec)

from . import plots

__all__ = [
    "ActorsPanel",
    "CorpusPanel",
    "Dashboard",
    "IssuesPanel",
    "SourceFilter",
    "StatementsPanel",
    "actor_counts",
    "actor_pairs",
    "article_stats",
    "dashboard",
    "outlet_summary",
    "snippet_html",
    "source_filter",
    "table_html",
    "with_outlet",
]

MAX_EVIDENCE = 25     # sentences listed under a chart
ALL_SPEAKERS = "(all speakers)"
ALL_SELECTED = "(all selected sources)"
PICK_OUTLET = "(pick an outlet)"
PICK_TERM = "(pick a term)"
KEYNESS_EAGER_TOKENS = 1_000_000   # above this, keyness waits for a pick

_STYLE = """<style>
.ak-ev {font-size: 13px; line-height: 1.45; max-height: 420px; overflow-y: auto;}
.ak-ev table {border-collapse: collapse; width: 100%;}
.ak-ev td, .ak-ev th {border-bottom: 1px solid #e5e5e5; padding: 4px 6px; vertical-align: top;
  text-align: left;}
.ak-ev th {background: #f6f6f6;}
.ak-ev mark {background: #ffe58a; padding: 0 1px;}
.ak-ev mark.ak-cue {background: #c7e3ff;}
.ak-ev mark.ak-speaker {background: #d9f2d0;}
.ak-dot {display: inline-block; width: 10px; height: 10px; border-radius: 5px; margin-right: 4px;}
.ak-muted {color: #777;}
</style>"""


# --------------------------------------------------------------------------- escaping
def _e(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value), quote=True)


def snippet_html(text: str, start: int, end: int,
                 spans: Iterable[tuple[int, int, str]] = ()) -> str:
    """Escaped ``text[start:end]`` with ``<mark>`` around each ``(s, e, css_class)`` span.

    Offsets are into ``text`` (``articles.text``). Spans are clipped to the window;
    a span overlapping an earlier one is shortened so marks never nest. The result is
    safe to put in an HTML widget: article text only ever appears escaped.
    """
    text = "" if text is None else str(text)
    start, end = max(0, int(start)), min(len(text), int(end))
    out, pos = [], start
    for s, e, cls in sorted(((int(s), int(e), c) for s, e, c in spans), key=lambda t: (t[0], -t[1])):
        s, e = max(s, pos), min(e, end)
        if e <= s:
            continue
        out.append(_e(text[pos:s]))
        attr = f' class="{_e(cls)}"' if cls else ""
        out.append(f"<mark{attr}>{_e(text[s:e])}</mark>")
        pos = e
    out.append(_e(text[pos:end]))
    return "".join(out)


def table_html(frame: pd.DataFrame, *, columns: Sequence[str] | None = None,
               raw: Sequence[str] = (), max_rows: int = 50, caption: str = "",
               total: int | None = None) -> str:
    """An HTML table of ``frame`` with every cell escaped.

    ``raw`` names columns that already hold HTML built by this module (snippets from
    :func:`snippet_html`, colour dots); everything else is escaped here. ``total``: the
    number of rows ``frame`` was cut from, for the "showing N of M rows" note.
    """
    columns = list(columns or frame.columns)
    shown = frame.head(max_rows)
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    rows = []
    for rec in shown[columns].itertuples(index=False, name=None):
        cells = []
        for col, val in zip(columns, rec):
            cells.append(f"<td>{val if col in raw else _e(val)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    note = ""
    total = len(frame) if total is None else total
    if total > len(shown):
        note = f'<div class="ak-muted">showing {len(shown):,} of {total:,} rows</div>'
    cap = f"<div><b>{_e(caption)}</b></div>" if caption else ""
    if frame.empty:
        return f'{_STYLE}<div class="ak-ev">{cap}<div class="ak-muted">nothing to show</div></div>'
    return (f'{_STYLE}<div class="ak-ev">{cap}<table><tr>{head}</tr>{"".join(rows)}</table>'
            f"{note}</div>")


def _short(text, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _dot(color: str) -> str:
    return f'<span class="ak-dot" style="background:{_e(color)}"></span>'


# --------------------------------------------------------------------------- aggregates
def with_outlet(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` (any grain with ``article_id``) with the article's ``outlet``."""
    outlet = pd.Series(articles["outlet"].astype(str).to_numpy(),
                       index=articles["article_id"].astype(str).to_numpy())
    outlet = outlet[~outlet.index.duplicated()]
    out = frame.copy()
    out["outlet"] = out["article_id"].astype(str).map(outlet).fillna("Unknown outlet").astype(str)
    return out


def article_stats(articles: pd.DataFrame, sentences: pd.DataFrame,
                  tokens: pd.DataFrame) -> pd.DataFrame:
    """One row per article: ``article_id, outlet, title, sentences, tokens, words``.

    ``words`` counts alphabetic tokens. Articles without sentences get zeros (nothing
    is dropped).
    """
    ids = articles["article_id"].astype(str)
    n_sent = sentences.groupby(sentences["article_id"].astype(str)).size()
    n_tok = tokens.groupby(tokens["article_id"].astype(str)).size()
    if "is_alpha" in tokens.columns:
        alpha = tokens[tokens["is_alpha"].fillna(False).astype(bool)]
        n_words = alpha.groupby(alpha["article_id"].astype(str)).size()
    else:
        n_words = n_tok
    title = articles["title"] if "title" in articles.columns else pd.Series([""] * len(articles))
    return pd.DataFrame({
        "article_id": ids.to_numpy(),
        "outlet": articles["outlet"].astype(str).to_numpy(),
        "title": title.astype(object).where(title.notna(), "").astype(str).to_numpy(),
        "sentences": ids.map(n_sent).fillna(0).astype(int).to_numpy(),
        "tokens": ids.map(n_tok).fillna(0).astype(int).to_numpy(),
        "words": ids.map(n_words).fillna(0).astype(int).to_numpy(),
    })


def outlet_summary(stats: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet: ``outlet, articles, sentences, tokens, words`` (sums of
    :func:`article_stats`), sorted by outlet."""
    return (stats.groupby("outlet", sort=True)
            .agg(articles=("article_id", "size"), sentences=("sentences", "sum"),
                 tokens=("tokens", "sum"), words=("words", "sum"))
            .reset_index())


def actor_counts(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per (outlet, actor): ``outlet, actor, mentions, articles``."""
    m = with_outlet(mentions[["article_id", "actor"]], articles)
    m["actor"] = m["actor"].astype(str)
    if m.empty:
        return pd.DataFrame({"outlet": [], "actor": [], "mentions": [], "articles": []})
    return (m.groupby(["outlet", "actor"], sort=True)
            .agg(mentions=("article_id", "size"), articles=("article_id", "nunique"))
            .reset_index())


def actor_pairs(mentions: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """One row per (outlet, actor pair) sharing a sentence: ``outlet, actor_a, actor_b,
    count, articles`` (``count`` = sentences with both, ``actor_a < actor_b``).

    The per-outlet grain of :func:`analystkit.cooccurrence` (within="sentence"):
    a sentence belongs to one article and so to one outlet, so summing ``count`` and
    ``articles`` over the selected outlets gives the selection's network.
    """
    cols = ["outlet", "actor_a", "actor_b", "count", "articles"]
    m = mentions[["article_id", "sentence_id", "actor"]].astype(
        {"article_id": str, "actor": str}).drop_duplicates()
    if m.empty:
        return pd.DataFrame({c: [] for c in cols})
    pairs = m.merge(m, on=["article_id", "sentence_id"], suffixes=("_a", "_b"))
    pairs = pairs[pairs["actor_a"] < pairs["actor_b"]]
    pairs = with_outlet(pairs, articles)
    if pairs.empty:
        return pd.DataFrame({c: [] for c in cols})
    return (pairs.groupby(["outlet", "actor_a", "actor_b"], sort=True)
            .agg(count=("sentence_id", "size"), articles=("article_id", "nunique"))
            .reset_index()[cols])


# --------------------------------------------------------------------------- source filter
class SourceFilter(W.VBox):
    """Multi-select of outlets, all selected by default, with an "All sources" button.

    ``value`` is the tuple of selected outlets; set it programmatically to filter.
    Panels observe it (``observe(callback, names="value")``).
    """

    def __init__(self, outlets: Iterable[str], *, description: str = "Sources", rows: int = 6):
        names = sorted({str(o) for o in outlets})
        self.outlets: tuple[str, ...] = tuple(names)
        self.select = W.SelectMultiple(
            options=names, value=tuple(names), rows=max(2, min(rows, len(names))),
            description=description, layout=W.Layout(width="520px"),
            style={"description_width": "70px"},
        )
        self.all_button = W.Button(description="All sources", layout=W.Layout(width="120px"),
                                   tooltip="select every source again")
        self.all_button.on_click(lambda _b: self.select_all())
        self.label = W.HTML(self._label(self.select.value))
        self.select.observe(lambda ch: setattr(self.label, "value", self._label(ch["new"])),
                            names="value")
        super().__init__([W.HBox([self.select, W.VBox([self.all_button, self.label])])])
        self.add_class("ak-source-filter")

    def _label(self, value) -> str:
        n, m = len(value), len(self.outlets)
        return f'<span class="ak-source-label">{"all" if n == m else n} of {m} sources</span>'

    @property
    def value(self) -> tuple[str, ...]:
        return tuple(self.select.value)

    @value.setter
    def value(self, outlets: Iterable[str]) -> None:
        wanted = [str(o) for o in ([outlets] if isinstance(outlets, str) else outlets)]
        unknown = [o for o in wanted if o not in self.outlets]
        if unknown:
            raise ValueError(f"unknown source(s) {unknown}; known: {list(self.outlets)}")
        self.select.value = tuple(o for o in self.outlets if o in set(wanted))

    def select_all(self) -> None:
        self.select.value = self.outlets

    def __repr__(self) -> str:  # short: notebooks store it as the widget's text/plain
        return f"<SourceFilter: {len(self.value)} of {len(self.outlets)} sources selected>"

    def observe(self, handler, names=None, type="change"):
        """Observe the selection: ``names="value"`` is the outlets tuple."""
        if names == "value":
            return self.select.observe(handler, names="value", type=type)
        return super().observe(handler, names=names, type=type)


def source_filter(corpus_or_outlets, *, description: str = "Sources") -> SourceFilter:
    """The shared source filter of a notebook: every outlet of the corpus, all selected.

    ``corpus_or_outlets``: a Corpus (its ``articles.outlet``), an articles frame or an
    iterable of outlet names.
    """
    obj = corpus_or_outlets
    if hasattr(obj, "articles"):
        obj = obj.articles
    if isinstance(obj, pd.DataFrame):
        obj = obj["outlet"]
    return SourceFilter(obj, description=description)


# --------------------------------------------------------------------------- charts
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


def _plain(obj):
    """JSON-ready copy of a plotly dict: numpy arrays and scalars become lists and numbers
    (cheaper than a to_json/loads round trip on big hover texts)."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fc":  # NaN is not JSON: plotly expects null for gaps
            return [None if x != x else x for x in obj.tolist()]
        if obj.dtype.kind == "O":
            return [_plain(v) for v in obj.tolist()]
        return obj.tolist()
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and obj != obj:
        return None
    return obj


def _json_spec(obj):
    """``_plain(convert_to_base64(deepcopy(obj)))`` in one pass (what ``to_plotly_json``
    then :func:`_plain` gave): numeric arrays under a dict key become plotly's typed-array
    specs, everything else is copied JSON-ready. The deep copy was a third of a filter
    callback's time."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if _pu.is_skipped_key(key):
                out[key] = _plain(value)
            elif _pu.is_homogeneous_array(value):
                out[key] = _plain(_pu.to_typed_array_spec(value))
            else:
                out[key] = _json_spec(value)
        return out
    if isinstance(obj, (list, tuple)):
        return [_json_spec(v) for v in obj]
    return _plain(obj)


def _figure_json(fig: go.Figure) -> dict:
    data, layout = getattr(fig, "_data", None), getattr(fig, "_layout", None)
    if data is None or layout is None or getattr(fig, "_frame_objs", None):
        return _plain(fig.to_plotly_json())   # frames, or a plotly without these internals
    return {"data": _json_spec(data), "layout": _json_spec(layout)}


def figure_bundle(fig: go.Figure) -> dict:
    """The display_data output of a figure: the plotly mime type (no CDN, no embedded
    plotly.js) plus a short text/plain fallback."""
    spec = _figure_json(fig)
    spec["config"] = dict(PLOTLY_CONFIG)
    title = fig.layout.title.text or "chart"
    return {"output_type": "display_data", "metadata": {},
            "data": {PLOTLY_MIME: spec, "text/plain": f"<plotly figure: {title}>"}}


class Chart(W.Output):
    """An Output widget that shows one plotly figure; :meth:`show` replaces it.

    ``chart.figure`` is the ``go.Figure`` on display. Constructed with its first figure.
    """

    def __init__(self, fig: go.Figure):
        super().__init__()
        self.add_class("ak-chart")
        self.show(fig)

    def show(self, fig: go.Figure) -> None:
        self.figure = fig
        self.outputs = (figure_bundle(fig),)

    def __repr__(self) -> str:
        return f"<Chart: {self.figure.layout.title.text}>"


# --------------------------------------------------------------------------- base panel
class _Panel(W.VBox):
    """Shared plumbing: source filter, outlet colours, charts, status label."""

    title = ""

    def __init__(self, corpus, *, source: SourceFilter | None = None, colors=None):
        self.corpus = corpus
        articles = corpus.articles
        self.articles = articles
        self.source = source if source is not None else source_filter(articles)
        # colours from the WHOLE corpus, so filtering never recolours an outlet
        self.colors = dict(colors) if colors is not None else plots.outlet_colors(articles["outlet"])
        self._text = dict(zip(articles["article_id"].astype(str), articles["text"].astype(str)))
        self._outlet = dict(zip(articles["article_id"].astype(str), articles["outlet"].astype(str)))
        self._title = dict(zip(articles["article_id"].astype(str),
                               articles.get("title", pd.Series([""] * len(articles))).astype(object)))
        self._per_outlet = articles["outlet"].astype(str).value_counts().to_dict()
        self.status = W.HTML()
        self.status.add_class("ak-status")
        self.charts: dict[str, Chart] = {}
        self.figures: dict[str, go.Figure] = {}
        self._prepare()
        self.outlets = self.source.value
        first = self.figures_for(self.outlets)
        for name, fig in first.items():
            self.charts[name] = Chart(fig)  # built WITH its first figure
        self.figures = first
        self._refresh_tables()
        self.status.value = self._status_text()
        children = self._layout_children()
        super().__init__(children)
        self.add_class("ak-panel")
        self.source.observe(self._on_source, names="value")

    def __repr__(self) -> str:  # short: notebooks store it as the widget's text/plain
        return (f"<{type(self).__name__}: {len(self.outlets)} of {len(self.source.outlets)} "
                f"sources; charts: {', '.join(self.charts)}>")

    # subclasses implement
    def _prepare(self) -> None: ...
    def figures_for(self, outlets: Sequence[str]) -> dict[str, go.Figure]:
        raise NotImplementedError
    def _refresh_tables(self) -> None: ...
    def _layout_children(self) -> list: return [self.status, *self.charts.values()]

    # common behaviour
    def _on_source(self, change) -> None:
        self.update(change["new"])

    def _selected(self, outlets) -> tuple[str, ...]:
        if outlets is None:
            return self.source.value
        return tuple([outlets] if isinstance(outlets, str) else outlets)

    def _in(self, frame: pd.DataFrame, outlets) -> pd.DataFrame:
        if len(outlets) == len(self.source.outlets):
            return frame
        return frame[frame["outlet"].isin(list(outlets))]

    def _status_text(self) -> str:
        n_art = sum(self._per_outlet.get(o, 0) for o in self.outlets)
        n_src, m_src = len(self.outlets), len(self.source.outlets)
        return (f'<span class="ak-status-text"><b>{n_art:,}</b> articles from '
                f"<b>{n_src}</b> of {m_src} sources</span>")

    def _push(self, name: str, fig: go.Figure) -> None:
        chart = self.charts.get(name)
        if chart is not None:
            chart.show(fig)
            self.figures[name] = fig

    def update(self, outlets: Sequence[str] | None = None) -> dict[str, go.Figure]:
        """Recompute every chart, label and table for ``outlets`` (default: the filter's
        current value); returns the new figures."""
        self.outlets = self._selected(outlets)
        figs = self.figures_for(self.outlets)
        for name, fig in figs.items():
            self._push(name, fig)
        self.figures = {**self.figures, **figs}
        self._refresh_tables()
        self.status.value = self._status_text()
        return figs

    def _sentence_evidence(self, rows: pd.DataFrame) -> pd.DataFrame:
        """Evidence table for rows with ``article_id, sentence_id, start, end`` (e.g. the
        mentions of an actor): one row per sentence (first MAX_EVIDENCE), the rows' spans
        marked. Sets ``self._evidence_total`` to the number of sentences."""
        keys = rows[["article_id", "sentence_id"]].drop_duplicates()
        self._evidence_total = len(keys)
        keys = keys.head(MAX_EVIDENCE)
        sub = rows.merge(keys, on=["article_id", "sentence_id"])
        spans = (sub.groupby(["article_id", "sentence_id"], sort=False, observed=True)[["start", "end"]]
                 .agg(list).reset_index())

        def bounds(rec):
            return self._bounds.get((str(rec.article_id), int(rec.sentence_id)),
                                    (min(rec.start), max(rec.end)))
        return self._evidence_rows(spans, lambda r: [(s, e, "") for s, e in zip(r.start, r.end)],
                                   context=bounds)

    def _evidence_rows(self, rows: pd.DataFrame, spans_of, *, context) -> pd.DataFrame:
        """Rows for an evidence table: outlet dot, article, escaped highlighted snippet."""
        out = []
        for rec in rows.itertuples(index=False):
            aid = str(rec.article_id)
            text = self._text.get(aid, "")
            start, end = context(rec)
            outlet = self._outlet.get(aid, "")
            out.append({
                "outlet": _dot(self.colors.get(outlet, plots.UNKNOWN_COLOR)) + _e(outlet),
                "article": _e(aid),
                "sentence": snippet_html(text, start, end, spans_of(rec)),
            })
        return pd.DataFrame(out, columns=["outlet", "article", "sentence"])


def _sentence_bounds(sentences: pd.DataFrame) -> dict[tuple[str, int], tuple[int, int]]:
    return dict(zip(zip(sentences["article_id"].astype(str), sentences["sentence_id"].astype(int)),
                    zip(sentences["start"].astype(int), sentences["end"].astype(int))))


# --------------------------------------------------------------------------- 01 corpus
class CorpusPanel(_Panel):
    """Articles per outlet, sentence/token counts per outlet, the articles and problems tables."""

    title = "Corpus"

    def _prepare(self) -> None:
        c = self.corpus
        self.stats = article_stats(c.articles, c.sentences, c.tokens)
        self.articles_table = W.HTML()
        self.problems_table = W.HTML()
        problems = getattr(c, "problems", None)
        if problems is None or problems.empty:
            self.problems_table.value = table_html(pd.DataFrame(), caption="Problems: none — every file became an article")
        else:
            cols = [x for x in ("path", "reason", "detail") if x in problems.columns]
            self.problems_table.value = table_html(problems, columns=cols, max_rows=200,
                                                   caption=f"Problems ({len(problems)} inputs)")

    def figures_for(self, outlets):
        st = self._in(self.stats, outlets)
        return {
            "articles": plots.articles_per_outlet(st, colors=self.colors),
            "size": plots.size_per_outlet(st, colors=self.colors),
        }

    def _refresh_tables(self) -> None:
        st = self._in(self.stats, self.outlets)
        self.articles_table.value = table_html(
            st.sort_values(["outlet", "article_id"]),
            columns=["outlet", "article_id", "title", "sentences", "tokens"],
            caption=f"Articles ({len(st):,})", max_rows=100)

    def _layout_children(self):
        return [self.status, self.charts["articles"], self.charts["size"],
                self.articles_table, self.problems_table]


# --------------------------------------------------------------------------- 02 actors
class ActorsPanel(_Panel):
    """Mentions per actor by outlet, the co-occurrence network, and the sentences behind
    the actor picked in the dropdown. ``kinds`` restricts the actor kinds (e.g.
    ``("person", "org")``); default: all."""

    title = "Actors"

    def __init__(self, corpus, *, source=None, colors=None, top: int = 15, kinds=None):
        self.top = top
        self.kinds = None if kinds is None else tuple(kinds)
        super().__init__(corpus, source=source, colors=colors)

    def _prepare(self) -> None:
        c = self.corpus
        ments = c.mentions
        if self.kinds is not None and "kind" in ments.columns:  # e.g. ("person", "org")
            ments = ments[ments["kind"].astype(object).isin(self.kinds)]
        self.mentions = with_outlet(ments[["article_id", "sentence_id", "start", "end", "actor"]], c.articles)
        self.mentions = self.mentions.astype({"actor": "category", "outlet": "category",
                                              "article_id": str})
        self.counts = actor_counts(ments, c.articles)
        self.pairs = actor_pairs(ments, c.articles)
        self._bounds = _sentence_bounds(c.sentences)
        totals = self.counts.groupby("actor")["mentions"].sum().sort_values(ascending=False, kind="stable")
        options = [(f"{a} ({n})", a) for a, n in totals.items()]
        self.actor = W.Dropdown(options=options or [("(no actors)", "")],
                                value=options[0][1] if options else "",
                                description="Actor", layout=W.Layout(width="420px"))
        self.actor.observe(lambda ch: self._refresh_tables(), names="value")
        self.evidence = W.HTML()

    def figures_for(self, outlets):
        counts = self._in(self.counts, outlets)
        pairs = self._in(self.pairs, outlets)
        if len(outlets) != len(self.source.outlets):
            pairs = pairs.groupby(["actor_a", "actor_b"], as_index=False)[["count", "articles"]].sum()
        sizes = counts.groupby("actor")["mentions"].sum().to_dict()
        return {
            "mentions": plots.actor_mentions(counts, top=self.top, colors=self.colors),
            "network": plots.cooccurrence_network(pairs, sizes=sizes),
        }

    def evidence_for(self, actor: str, outlets=None) -> pd.DataFrame:
        """The sentences mentioning ``actor`` in the selected outlets (one row per
        sentence, at most MAX_EVIDENCE), as escaped HTML cells."""
        outlets = self._selected(outlets) if outlets is not None else self.outlets
        m = self._in(self.mentions, outlets)
        return self._sentence_evidence(m[m["actor"] == actor])

    def select_actor(self, actor: str) -> None:
        """Show the evidence of ``actor`` (as picking it in the dropdown does)."""
        values = [v for _label, v in self.actor.options]
        if actor in values:
            self.actor.value = actor

    def _refresh_tables(self) -> None:
        actor = self.actor.value
        if not actor:
            self.evidence.value = table_html(pd.DataFrame(), caption="No actor found")
            return
        rows = self.evidence_for(actor)
        self.evidence.value = table_html(
            rows, raw=["outlet", "article", "sentence"], max_rows=MAX_EVIDENCE,
            caption=f"Sentences mentioning {actor}: {self._evidence_total:,} in the selected sources")


    def _layout_children(self):
        return [self.status, self.charts["mentions"], self.charts["network"],
                W.HTML("<b>Evidence</b>: pick an actor to read the sentences that mention it"),
                self.actor, self.evidence]


# --------------------------------------------------------------------------- 03 statements
class StatementsPanel(_Panel):
    """Statements table filtered by source and speaker; tone per speaker and per outlet;
    officials vs others; a click on a point opens its sentence."""

    title = "Statements"

    def _prepare(self) -> None:
        c = self.corpus
        st = c.statements
        if "compound" not in st.columns:
            raise ValueError("StatementsPanel needs scored statements (compound/tone columns): "
                             "run analystkit.score_sentiment first")
        st = with_outlet(st, c.articles)
        st["speaker"] = st["speaker"].astype(object).where(st["speaker"].notna(), "unattributed").astype(str)
        st["text"] = st["text"].astype(str)
        st["hover"] = plots.statement_hover(st)
        # filtering copies rows: numpy object columns are cheaper to take than arrow strings
        st = st.astype({c: object for c in st.columns
                        if c not in ("compound", "outlet", "speaker") and st[c].dtype != bool
                        and not pd.api.types.is_numeric_dtype(st[c])})
        st["outlet"] = st["outlet"].astype("category")
        self.statements = st
        self._bounds = _sentence_bounds(c.sentences)
        counts = st["speaker"].value_counts()
        self.speaker = W.Dropdown(options=[ALL_SPEAKERS] + [s for s in counts.index],
                                  value=ALL_SPEAKERS, description="Speaker",
                                  layout=W.Layout(width="420px"))
        self.speaker.observe(lambda ch: self.update(), names="value")
        self.table = W.HTML()
        self.pick = W.Dropdown(description="Statement", layout=W.Layout(width="720px"))
        self.pick.observe(self._on_pick, names="value")
        self.opened = W.HTML('<span class="ak-muted">Pick a statement to open its sentence.</span>')

    def _subset(self, outlets) -> pd.DataFrame:
        st = self._in(self.statements, outlets)
        if self.speaker.value != ALL_SPEAKERS:
            st = st[st["speaker"] == self.speaker.value]
        return st

    def figures_for(self, outlets):
        st = self._subset(outlets)
        return {
            "speaker": plots.tone_by_speaker(st, colors=self.colors),
            "outlet": plots.tone_by_outlet(st, colors=self.colors),
            "official": plots.official_vs_other(st, colors=self.colors),
        }

    def statement_html(self, article_id: str, statement_id: int) -> str:
        """Escaped HTML of one statement in its sentence: content, cue and speaker marked."""
        st = self.statements
        row = st[(st["article_id"].astype(str) == str(article_id))
                 & (st["statement_id"].astype(int) == int(statement_id))]
        if row.empty:
            return f"<i>statement {_e(article_id)}/{_e(statement_id)} not found</i>"
        r = row.iloc[0]
        aid = str(r["article_id"])
        text = self._text.get(aid, "")
        s0, e0 = self._bounds.get((aid, int(r["sentence_id"])), (int(r["start"]), int(r["end"])))
        spans = [(int(r["start"]), int(r["end"]), "")]
        lo, hi = min(s0, int(r["start"])), max(e0, int(r["end"]))
        for a, b, cls in (("cue_start", "cue_end", "ak-cue"), ("speaker_start", "speaker_end", "ak-speaker")):
            if a in r.index and pd.notna(r[a]) and pd.notna(r[b]):
                spans.append((int(r[a]), int(r[b]), cls))
                lo, hi = min(lo, int(r[a])), max(hi, int(r[b]))
        tone = f'{r["compound"]:+.2f} ({_e(r.get("tone", ""))})' if pd.notna(r["compound"]) else "n/a"
        outlet = self._outlet.get(aid, "")
        return (f'{_STYLE}<div class="ak-ev ak-opened">{_dot(self.colors.get(outlet, "#999"))}'
                f"<b>{_e(r['speaker'])}</b> · {_e(outlet)} · {_e(aid)} · {_e(r['kind'])} · tone {tone}"
                f"<br>{snippet_html(text, lo, hi, spans)}</div>")

    def open_statement(self, article_id: str, statement_id: int) -> None:
        """Show one statement's sentence, content, cue and speaker marked."""
        self.opened.value = self.statement_html(article_id, statement_id)

    def _on_pick(self, change) -> None:
        if change["new"]:
            aid, sid = change["new"]
            self.open_statement(aid, sid)

    def _refresh_picker(self, st: pd.DataFrame) -> None:
        """The statement picker lists the statements of the selection (tone, speaker, text)."""
        shown = st.head(300)
        options = [(f"— pick one of {len(st):,} statements —", None)] + [
            (f"{c:+.2f}  {_short(s, 28)}: {_short(t, 80)}", (str(a), int(i)))
            for a, i, s, t, c in zip(shown["article_id"], shown["statement_id"], shown["speaker"],
                                     shown["text"], shown["compound"].fillna(0.0))]
        self.pick.options = options
        self.pick.index = 0  # the "pick one" label (value None)

    def _refresh_tables(self) -> None:
        st = self._subset(self.outlets)
        rows = st.head(100).assign(
            tone_=[("n/a" if pd.isna(c) else f"{c:+.2f}") for c in st["compound"].head(100)],
            official=st["is_official"].head(100).fillna(False).astype(bool).map({True: "yes", False: ""}),
        )
        self._refresh_picker(st)
        label = "all speakers" if self.speaker.value == ALL_SPEAKERS else self.speaker.value
        self.table.value = table_html(
            rows, columns=["outlet", "speaker", "official", "kind", "cue", "text", "tone_"],
            max_rows=100, caption=f"Statements ({len(st):,}; {label})").replace(
            "<th>tone_</th>", "<th>tone</th>")


    def _layout_children(self):
        return [self.status, self.speaker, self.charts["speaker"],
                W.HTML("<b>Evidence</b>: pick a statement to read its sentence"), self.pick, self.opened,
                self.charts["outlet"], self.charts["official"], self.table]


# --------------------------------------------------------------------------- 04 issues
class IssuesPanel(_Panel):
    """Heatmap outlet × issue (measure picked in a dropdown), the evidence sentences behind
    the picked issue (or clicked cell), a KWIC search box and distinctive terms per outlet."""

    title = "Issues"

    def _prepare(self) -> None:
        c = self.corpus
        cov = c.coverage
        self.coverage = cov.assign(outlet=cov["outlet"].astype(str), issue=cov["issue"].astype(str))
        self.hits = with_outlet(c.issue_hits[["article_id", "sentence_id", "issue", "term", "start", "end"]],
                                c.articles)
        self.hits = self.hits.astype({"issue": "category", "outlet": "category", "article_id": str})
        self._bounds = _sentence_bounds(c.sentences)
        self._sentences = with_outlet(c.sentences, c.articles)
        measures = [m for m in plots.MEASURES if m in cov.columns]
        self.measure = W.Dropdown(options=[(plots.MEASURES[m], m) for m in measures],
                                  value=measures[0], description="Measure",
                                  layout=W.Layout(width="360px"))
        self.measure.observe(lambda ch: self._push("heatmap", self._heatmap(self.outlets)), names="value")
        issues = sorted(self.coverage["issue"].unique())
        self.issue = W.Dropdown(options=issues, value=issues[0] if issues else None,
                                description="Issue", layout=W.Layout(width="360px"))
        self.cell_outlet = W.Dropdown(options=[ALL_SELECTED], value=ALL_SELECTED,
                                      description="Outlet", layout=W.Layout(width="420px"))
        self.issue.observe(lambda ch: self._refresh_tables(), names="value")
        self.cell_outlet.observe(lambda ch: self._refresh_tables(), names="value")
        self.evidence = W.HTML()
        # KWIC
        self.kwic_box = W.Text(placeholder="word or pattern, e.g. territor*", description="KWIC",
                               continuous_update=False, layout=W.Layout(width="420px"))
        self.kwic_button = W.Button(description="Search")
        self.kwic_out = W.HTML('<span class="ak-muted">Type a word and press Enter.</span>')
        self.kwic_box.observe(lambda ch: self.search(ch["new"]), names="value")
        self.kwic_button.on_click(lambda _b: self.search(self.kwic_box.value))
        # keyness
        self._keyness_cache: dict[str, pd.DataFrame] = {}
        # keyness reads every token: on a big corpus compute it only when an outlet is picked
        lazy = len(c.tokens) > KEYNESS_EAGER_TOKENS or len(self.source.outlets) < 2
        opts = ([(PICK_OUTLET, None)] if lazy else []) + [(o, o) for o in self.source.outlets]
        self.key_outlet = W.Dropdown(options=opts, index=0, description="Outlet",
                                     layout=W.Layout(width="420px"))
        self.key_outlet.observe(
            lambda ch: self._push("keyness", self._keyness_figure(ch["new"])), names="value")
        self.key_term = W.Dropdown(options=[(PICK_TERM, None)], index=0, description="Term",
                                   layout=W.Layout(width="420px"))
        self.key_kwic = W.HTML()
        self.key_term.observe(lambda ch: self.term_evidence(ch["new"]), names="value")

    def _heatmap(self, outlets) -> go.Figure:
        return plots.coverage_heatmap(self._in(self.coverage, outlets), measure=self.measure.value)

    def figures_for(self, outlets):
        # distinctive terms do not depend on the source filter: drawn once, then on picks
        figs = {"heatmap": self._heatmap(outlets)}
        if "keyness" not in self.charts:
            figs["keyness"] = self._keyness_figure(self.key_outlet.value)
        return figs

    # keyness does not depend on the source filter: an outlet against the rest of the corpus
    def keyness_for(self, outlet: str) -> pd.DataFrame:
        if outlet not in self._keyness_cache:
            from .issues import keyness
            self._keyness_cache[outlet] = keyness(self.corpus, by="outlet", target=outlet)
        return self._keyness_cache[outlet]

    def _keyness_figure(self, outlet) -> go.Figure:
        if outlet is None:
            return plots.empty_figure("Distinctive terms", "Pick an outlet above")
        if len(self.source.outlets) < 2:
            return plots.empty_figure(f"Distinctive terms: {outlet}",
                                      "Needs at least two outlets to compare")
        kn = self.keyness_for(outlet)
        fig = plots.keyness_bars(kn, outlet=outlet, colors=self.colors)
        # the bars' terms, most distinctive first, to pick for their sentences
        terms = [html.unescape(t) for t in reversed(fig.data[0].y)] if fig.data else []
        self.key_term.options = [(PICK_TERM, None)] + [(t, t) for t in terms]
        self.key_term.index = 0
        self.key_kwic.value = ""
        return fig

    def term_evidence(self, term: str | None) -> pd.DataFrame | None:
        """KWIC lines of a distinctive term in the outlet it distinguishes."""
        outlet = self.key_outlet.value
        if not term or outlet is None:
            self.key_kwic.value = ""
            return None
        try:
            res = self.kwic_rows(term, outlets=(outlet,))
        except ValueError as exc:  # a term the pattern syntax cannot express
            self.key_kwic.value = f'<span style="color:#b00">KWIC error: {_e(exc)}</span>'
            return None
        self.key_kwic.value = table_html(
            res, columns=[c for c in ("article_id", "left", "match", "right") if c in res.columns],
            max_rows=50, caption=f"“{term}” in {outlet}: {len(res):,} line{'s' if len(res) != 1 else ''}")
        return res

    def select_cell(self, outlet: str | None, issue: str) -> None:
        """Show the evidence of one heatmap cell (as picking issue and outlet does)."""
        if outlet is not None and outlet in self.cell_outlet.options:
            self.cell_outlet.value = outlet
        if issue in self.issue.options:
            self.issue.value = issue

    def evidence_for(self, issue: str, outlets=None) -> pd.DataFrame:
        """Sentences with a hit of ``issue`` in the outlets (one row per sentence,
        matched words marked), as escaped HTML cells."""
        outlets = self._selected(outlets) if outlets is not None else self.outlets
        h = self._in(self.hits, outlets)
        return self._sentence_evidence(h[h["issue"] == issue])

    def _refresh_tables(self) -> None:
        opts = [ALL_SELECTED] + list(self.outlets)
        if list(self.cell_outlet.options) != opts:
            keep = self.cell_outlet.value if self.cell_outlet.value in opts else ALL_SELECTED
            self.cell_outlet.options = opts
            self.cell_outlet.value = keep
        issue = self.issue.value
        if issue is None:
            self.evidence.value = table_html(pd.DataFrame(), caption="No issues in the codebook")
            return
        outlets = self.outlets if self.cell_outlet.value == ALL_SELECTED else (self.cell_outlet.value,)
        rows = self.evidence_for(issue, outlets)
        where = "the selected sources" if self.cell_outlet.value == ALL_SELECTED else self.cell_outlet.value
        self.evidence.value = table_html(
            rows, raw=["outlet", "article", "sentence"], max_rows=MAX_EVIDENCE,
            caption=f"Sentences about {issue.replace('_', ' ')}: {self._evidence_total:,} in {where}")

    def kwic_rows(self, pattern: str, outlets=None) -> pd.DataFrame:
        """KWIC lines of ``pattern`` (via :func:`analystkit.kwic`) in the selected outlets."""
        from .issues import kwic
        outlets = self._selected(outlets) if outlets is not None else self.outlets
        sents = self._in(self._sentences, outlets)  # search only the selected sources
        res = kwic(sents.drop(columns=["outlet"]), pattern, articles=self.articles)
        if "outlet" not in res.columns:
            res = with_outlet(res, self.articles)
        return res.reset_index(drop=True)

    def search(self, pattern: str) -> pd.DataFrame | None:
        """Run the KWIC search box: fills the KWIC table and returns its rows."""
        pattern = (pattern or "").strip()
        if not pattern:
            self.kwic_out.value = '<span class="ak-muted">Type a word and press Enter.</span>'
            return None
        try:
            res = self.kwic_rows(pattern)
        except Exception as exc:  # a bad pattern is shown, not raised into the widget
            self.kwic_out.value = f'<span style="color:#b00">KWIC error: {_e(exc)}</span>'
            return None
        cols = [c for c in ("outlet", "article_id", "left", "match", "keyword", "node", "right")
                if c in res.columns] or list(res.columns)
        self.kwic_out.value = table_html(res, columns=cols, max_rows=100,
                                         caption=f"KWIC “{pattern}”: {len(res):,} line{'s' if len(res) != 1 else ''}")
        return res


    def _layout_children(self):
        kids = [self.status, self.measure, self.charts["heatmap"],
                W.HTML("<b>Evidence</b>: pick an issue and an outlet (a cell of the heatmap)"),
                W.HBox([self.issue, self.cell_outlet]), self.evidence,
                W.HTML("<b>Keyword in context</b>"), W.HBox([self.kwic_box, self.kwic_button]),
                self.kwic_out]
        if "keyness" in self.charts:
            kids += [W.HTML("<b>Distinctive terms</b> of an outlet against the rest of the corpus; "
                            "pick a term to read it in context"),
                     self.key_outlet, self.charts["keyness"], self.key_term, self.key_kwic]
        return kids


# --------------------------------------------------------------------------- dashboard
def dashboard(corpus, *, sections: Sequence[str] = ("corpus", "actors", "statements", "issues", "compare")
              ) -> Dashboard:
    """All panels on one page sharing one source filter (the Voila app).

    Sections are stacked, not tabbed: plotly cannot size a chart inside a hidden tab.
    The returned VBox has ``.source`` and ``.panels`` (name -> panel).
    """
    source = source_filter(corpus)
    colors = plots.outlet_colors(corpus.articles["outlet"])
    classes = {"corpus": CorpusPanel, "actors": ActorsPanel,
               "statements": StatementsPanel, "issues": IssuesPanel, "compare": ComparePanel}
    panels, children = {}, [W.HTML("<h2>analystkit dashboard</h2>"), source]
    for name in sections:
        panels[name] = classes[name](corpus, source=source, colors=colors)
        children += [W.HTML(f"<h3>{_e(panels[name].title)}</h3>"), panels[name]]
    return Dashboard(children, source=source, panels=panels)


class Dashboard(W.VBox):
    """The dashboard page: ``.source`` (the shared filter) and ``.panels`` (name -> panel)."""

    def __init__(self, children, *, source: SourceFilter, panels: dict):
        self.source = source
        self.panels = panels
        super().__init__(children)
        self.add_class("ak-dashboard")

    def update(self, outlets: Sequence[str] | None = None) -> dict[str, dict[str, go.Figure]]:
        """Update every panel for ``outlets`` (default: the filter's value)."""
        return {name: p.update(outlets) for name, p in self.panels.items()}

    def __repr__(self) -> str:
        return f"<Dashboard: {', '.join(self.panels)}; {len(self.source.value)} of {len(self.source.outlets)} sources>"


# --- compare (issue 8)
ALL_GROUPS_HINT = "(pick a statement group)"


def _flags(rec) -> str:
    flags = []
    if getattr(rec, "is_representative", False):
        flags.append("reference version")
    if getattr(rec, "speaker_differs", False):
        flags.append("different speaker")
    if getattr(rec, "cue_differs", False):
        flags.append("different cue verb")
    if getattr(rec, "kind_differs", False):
        flags.append("direct/indirect differs")
    if getattr(rec, "truncated", False):
        flags.append("truncated")
    if getattr(rec, "extended", False):
        flags.append("longer")
    return ", ".join(flags)


def variants_table_html(variants: pd.DataFrame, *, colors=None, max_rows: int = 60) -> str:
    """HTML table of :func:`analystkit.compare.statement_variants`: one row per outlet's version,
    the text with removed words struck through and added words underlined (``diff_html`` is
    built from escaped article text), plus the speaker/cue/kind and what differs."""
    if variants.empty:
        return table_html(variants)
    rows = []
    colors = colors or {}
    for rec in variants.head(max_rows).itertuples(index=False):   # only the rows shown
        outlet = str(getattr(rec, "outlet", "") or "")
        rows.append({
            "outlet": (_dot(colors.get(outlet, plots.UNKNOWN_COLOR)) + _e(outlet)) if outlet else "",
            "article (sentence)": f"{_e(rec.article_id)} ({_e(rec.sentence_id)})"
            if hasattr(rec, "sentence_id") else _e(rec.article_id),
            "speaker": _e(getattr(rec, "speaker", "")),
            "cue": _e(getattr(rec, "cue", "")),
            "kind": _e(getattr(rec, "kind", "")),
            "version (vs reference)": rec.diff_html,
            "similarity": f"{float(rec.similarity):.2f}",
            "differences": _e(_flags(rec)),
        })
    frame = pd.DataFrame(rows)
    style = ("<style>.ak-ev del {background:#ffd6d6; text-decoration: line-through;}"
             ".ak-ev ins {background:#d6f5d6; text-decoration: none;}</style>")
    return style + table_html(frame, raw=list(frame.columns), max_rows=max_rows, total=len(variants))


def _group_label(rec) -> str:
    text = " ".join(str(rec.text).split())
    text = text if len(text) <= 90 else text[:89] + "…"
    reach = getattr(rec, "outlets", None)
    if reach is None or pd.isna(reach):
        reach = f"{rec.size} article{'s' if rec.size != 1 else ''}"
    else:
        reach = f"{int(reach)} outlet{'s' if int(reach) != 1 else ''}"
    return f"{rec.speaker}: “{text}” ({reach})"


class ComparePanel(_Panel):
    """Compare outlets (issue 8): every outlet's version of one statement, the sourcing profile
    chart per outlet, and the omission table of one outlet.

    - ``panel.speaker`` / ``panel.group``: dropdowns; the group list shows the speaker's
      statement groups, most widely carried first (groups carried by 2+ articles only, unless
      the speaker has none); ``panel.variants`` shows the versions side by side.
    - ``panel.dimension``: which sourcing dimension the chart shows.
    - ``panel.omission_outlet``: the outlet whose omissions ``panel.omissions`` lists.
    - ``panel.aligned``, ``panel.profile``, ``panel.groups``: the frames behind the views.
    The shared source filter restricts the chart and the versions shown.
    """

    title = "Compare outlets"

    def __init__(self, corpus, *, source=None, colors=None, aligned=None, profile=None):
        self._given_aligned = aligned
        self._given_profile = profile
        super().__init__(corpus, source=source, colors=colors)

    def _prepare(self) -> None:
        from . import compare

        statements = self.corpus.statements
        self.aligned = (self._given_aligned if self._given_aligned is not None
                        else compare.align_statements(statements))
        self.profile = (self._given_profile if self._given_profile is not None
                        else compare.sourcing_profile(statements, self.articles))
        self.groups = compare.statement_groups(self.aligned, self.articles)
        self._omissions: dict[str, pd.DataFrame] = {}
        self._variants: dict[int, pd.DataFrame] = {}
        # named speakers with statements carried by several articles first, then the rest
        named = {str(sp) for sp, kind in zip(self.aligned["speaker"],
                                             self.aligned.get("speaker_kind", [None] * len(self.aligned)))
                 if str(kind) not in {"anonymous", "unknown"}}
        multi = self.groups[self.groups["size"] >= 2]["speaker"].dropna().astype(str)
        speakers = list(dict.fromkeys([s for s in multi if s in named] + list(multi)))
        speakers += sorted(set(self.groups["speaker"].dropna().astype(str)) - set(speakers))
        self.speaker = W.Dropdown(options=speakers, value=speakers[0] if speakers else None,
                                  description="Speaker")
        self.group = W.Dropdown(options=[], description="Statement",
                                layout=W.Layout(width="95%"))
        self.dimension = W.Dropdown(options=[("affiliation", "affiliation"),
                                             ("named vs unattributed", "source"),
                                             ("direct vs indirect", "kind"),
                                             ("official vs other", "official")],
                                    value="affiliation", description="Sourcing")
        outlets = list(self.source.outlets)
        self.omission_outlet = W.Dropdown(options=outlets, value=outlets[0] if outlets else None,
                                          description="Omitted by")
        self.variants = W.HTML()
        self.omissions = W.HTML()
        self._fill_groups()
        self.speaker.observe(lambda ch: (self._fill_groups(), self._refresh_tables()), names="value")
        self.group.observe(lambda ch: self._refresh_tables(), names="value")
        self.dimension.observe(lambda ch: self.update(), names="value")
        self.omission_outlet.observe(lambda ch: self._refresh_tables(), names="value")

    def _fill_groups(self) -> None:
        g = self.groups[self.groups["speaker"].astype(str) == str(self.speaker.value)]
        if (g["size"] >= 2).any():
            g = g[g["size"] >= 2]
        self.group.options = [(_group_label(r), int(r.group_id)) for r in g.itertuples()]
        self.group.value = int(g["group_id"].iloc[0]) if len(g) else None

    def figures_for(self, outlets) -> dict[str, go.Figure]:
        return {"sourcing": plots.sourcing_bars(self._in(self.profile, outlets),
                                                dimension=self.dimension.value)}

    def variants_frame(self, group_id=None) -> pd.DataFrame:
        """The versions of ``group_id`` (default: the selected group) from the selected outlets."""
        from . import compare

        gid = self.group.value if group_id is None else group_id
        if gid is None:
            return pd.DataFrame()
        if gid not in self._variants:   # independent of the source filter: computed once
            self._variants[gid] = compare.statement_variants(self.aligned, gid, articles=self.articles)
        return self._in(self._variants[gid], self.outlets).reset_index(drop=True)

    def omissions_frame(self, outlet=None) -> pd.DataFrame:
        from . import compare

        outlet = self.omission_outlet.value if outlet is None else outlet
        if outlet is None:
            return pd.DataFrame()
        if outlet not in self._omissions:
            self._omissions[outlet] = compare.omissions(self.corpus, outlet=outlet,
                                                        aligned=self.aligned)
        return self._omissions[outlet]

    def _refresh_tables(self) -> None:
        self.variants.value = variants_table_html(self.variants_frame(), colors=self.colors)
        om = self.omissions_frame()
        if not om.empty:
            om = om.assign(share_of_outlets=om["share_of_outlets"].map("{:.0%}".format),
                           carried_by=om["carried_by"].map(", ".join))
            om = om[["kind", "item", "outlets", "share_of_outlets", "articles", "carried_by",
                     "article_id", "sentence_id"]]
        self.omissions.value = table_html(
            om, max_rows=40,
            caption=f"Carried by most other outlets but not by {self.omission_outlet.value}")

    def _layout_children(self) -> list:
        return [self.status, self.speaker, self.group, self.variants, self.dimension,
                *self.charts.values(), self.omission_outlet, self.omissions]


def compare_panel(corpus, *, source=None, colors=None, aligned=None) -> ComparePanel:
    """The compare-outlets panel of notebook 05 (see :class:`ComparePanel`)."""
    return ComparePanel(corpus, source=source, colors=colors, aligned=aligned)


__all__ += ["ComparePanel", "compare_panel", "variants_table_html"]
