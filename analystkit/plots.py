"""Plotly figures built from analystkit frames.

Every function here is pure: it takes frames (never mutated) and returns a
``plotly.graph_objects.Figure`` that is titled, has labelled axes and a size that
reads on a laptop screen. Outlets get the same colour in every chart through
:func:`outlet_colors`, which the widgets compute once from the *whole* corpus and
pass to every chart, so filtering a view never recolours an outlet.

Text that comes from articles (sentences, quotes, speaker or outlet names) is
passed through :func:`html.escape` before it goes into hover labels, because
plotly renders a subset of HTML in those.

Grain of the helper frames (built by :mod:`analystkit.widgets`):

- ``article_stats``: one row per article: ``article_id, outlet, sentences, tokens, words``.
- ``actor_counts``: one row per (outlet, actor): ``outlet, actor, mentions, articles``.
"""
from __future__ import annotations

import hashlib
import html
import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

__all__ = [
    "PALETTE",
    "actor_mentions",
    "articles_per_outlet",
    "cooccurrence_network",
    "coverage_heatmap",
    "empty_figure",
    "keyness_bars",
    "official_vs_other",
    "outlet_colors",
    "size_per_outlet",
    "statement_hover",
    "pool_outlets",
    "tone_by_outlet",
    "tone_by_speaker",
]

# 46 distinct colours: plotly's default 10, D3 10 (minus duplicates), then Alphabet.
PALETTE: tuple[str, ...] = (
    "#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A", "#19D3F3", "#FF6692",
    "#B6E880", "#FF97FF", "#FECB52",
    "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2",
    "#7F7F7F", "#BCBD22", "#17BECF",
    "#AA0DFE", "#3283FE", "#85660D", "#782AB6", "#565656", "#1C8356", "#16FF32",
    "#F7E1A0", "#E2E2E2", "#1CBE4F", "#C4451C", "#DEA0FD", "#FE00FA", "#325A9B",
    "#FEAF16", "#F8A19F", "#90AD1C", "#F6222E", "#1CFFCE", "#2ED9FF", "#B10DA1",
    "#C075A6", "#FC1CBF", "#B00068", "#FBE426", "#FA0087",
)
UNKNOWN_COLOR = "#9E9E9E"

HEIGHT = 420        # px: fits a laptop screen next to the widgets
MAX_LABEL = 40      # characters of a category label before it is shortened
MARGIN = dict(l=10, r=10, t=60, b=10)
# A small light template: plotly's "plotly_white" costs ~20 ms per figure to validate,
# which matters inside interactive callbacks.
_AXIS = dict(gridcolor="#EBEBEB", zerolinecolor="#D0D0D0", linecolor="#D0D0D0", ticks="")
_TEMPLATE = dict(layout=dict(paper_bgcolor="white", plot_bgcolor="white", colorway=list(PALETTE[:10]),
                             xaxis=_AXIS, yaxis=_AXIS, hoverlabel=dict(align="left")))
# light (0) to dark (max): explicit, because plotly.js reads the name "Blues" the other way
# round from plotly.py when validation (which expands names) is off
HEAT_SCALE = [[0.0, "#F7FBFF"], [0.125, "#DEEBF7"], [0.25, "#C6DBEF"], [0.375, "#9ECAE1"],
              [0.5, "#6BAED6"], [0.625, "#4292C6"], [0.75, "#2171B5"], [0.875, "#08519C"],
              [1.0, "#08306B"]]
TONE_COLORS = {"negative": "#D62728", "neutral": "#9E9E9E", "positive": "#2CA02C"}


# Plotly validates every property of every trace on construction (~3x the cost of the
# figure itself). Our figures are built from known-good literals and covered by the tests,
# which switch validation back on (tests set ``plots.VALIDATE = True``).
VALIDATE = False


class _Builder:
    """Collects traces and builds the figure once (``Figure.add_trace`` re-validates)."""

    def __init__(self, layout: dict):
        self.layout = layout
        self.traces: list = []

    def add_trace(self, trace) -> None:
        self.traces.append(trace)

    def figure(self) -> go.Figure:
        return _go.Figure(data=self.traces, layout=self.layout)


class _go:
    @staticmethod
    def Figure(*args, **kwargs):
        return go.Figure(*args, _validate=VALIDATE, **kwargs)

    @staticmethod
    def Bar(**kwargs):
        return go.Bar(_validate=VALIDATE, **kwargs)

    @staticmethod
    def Scatter(**kwargs):
        return go.Scatter(_validate=VALIDATE, **kwargs)

    @staticmethod
    def Box(**kwargs):
        return go.Box(_validate=VALIDATE, **kwargs)

    @staticmethod
    def Heatmap(**kwargs):
        return go.Heatmap(_validate=VALIDATE, **kwargs)


# --------------------------------------------------------------------------- colours
def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """Map each outlet name to a colour, deterministically.

    Outlets are sorted and take the palette in that order, so the same set of
    outlets always gets the same colours (in every notebook and in the dashboard)
    and two outlets never share a colour while there are fewer than
    ``len(PALETTE)`` of them. Beyond that, colours are derived from a hash of the
    name (stable across runs). Honest "Unknown outlet (...)" labels are grey.
    Compute it once from the whole corpus (``corpus.articles.outlet``) and pass it
    to every chart, so that a filtered view keeps its colours.
    """
    names = sorted({str(o) for o in pd.Series(list(outlets), dtype=object).dropna()})
    known = [n for n in names if not n.startswith("Unknown outlet")]
    mapping: dict[str, str] = {}
    for i, name in enumerate(known):
        if i < len(PALETTE):
            mapping[name] = PALETTE[i]
        else:
            digest = hashlib.sha1(name.encode("utf-8")).digest()
            mapping[name] = "#%02X%02X%02X" % (digest[0], digest[1], digest[2])
    for name in names:
        if name not in mapping:
            mapping[name] = UNKNOWN_COLOR
    return mapping


def _colors_for(outlets: Iterable[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    outlets = list(outlets)
    base = dict(colors) if colors is not None else outlet_colors(outlets)
    missing = [o for o in outlets if o not in base]
    if missing:  # an outlet the caller's mapping did not know: give it a stable colour
        extra = outlet_colors(missing)
        base.update({o: extra[o] for o in missing})
    return base


# --------------------------------------------------------------------------- helpers
MAX_OUTLET_TRACES = 20  # charts with one trace per outlet pool the rest as "Other outlets (N)"
MAX_OUTLET_ROWS = 40    # charts with one bar or heatmap row per outlet show at most this many


def pool_outlets(frame: pd.DataFrame, *, weight: str | None = None,
                 max_outlets: int = MAX_OUTLET_TRACES) -> pd.DataFrame:
    """A copy of ``frame`` whose ``outlet`` keeps the ``max_outlets`` largest outlets (by
    rows, or by the sum of ``weight``) and pools the others as "Other outlets (N)".

    A corpus where most articles have no known outlet has one honest "Unknown outlet (id)"
    label per article: hundreds of legend entries help nobody and cost seconds to draw.
    Ties in size are broken by outlet name, so the result does not depend on row order.
    """
    col = frame["outlet"]
    if weight is None and isinstance(col.dtype, pd.CategoricalDtype):
        # a filter callback's frame: count the integer codes instead of hashing strings
        labels = np.array([str(c) for c in col.cat.categories] + ["nan"], dtype=object)
        codes = col.cat.codes.to_numpy()
        codes = np.where(codes < 0, len(labels) - 1, codes)
        counts = np.bincount(codes, minlength=len(labels))
        sizes: dict[str, int] = {}
        for label, n in zip(labels[counts > 0], counts[counts > 0]):
            sizes[label] = sizes.get(label, 0) + int(n)
        if len(sizes) <= max_outlets:
            return frame
        keep = _largest(sizes, max_outlets)
        other = f"Other outlets ({len(sizes) - max_outlets})"
        mapped = np.array([lab if lab in keep else other for lab in labels], dtype=object)
        return frame.assign(outlet=pd.Series(mapped[codes], index=frame.index, dtype=object))
    # object columns of text (the charts' own _text output) are used as they are: astype(str)
    # would build an Arrow string array on every filter change
    outlets = _text(col) if col.dtype == object else col.astype(str)
    sizes_s = (frame[weight].groupby(outlets.to_numpy()).sum() if weight else outlets.value_counts())
    if len(sizes_s) <= max_outlets:
        return frame
    keep = _largest(sizes_s, max_outlets)
    other = f"Other outlets ({len(sizes_s) - max_outlets})"
    return frame.assign(outlet=pd.Series(np.where(outlets.isin(keep), outlets, other),
                                         index=frame.index, dtype=object))


def _largest(sizes, n: int) -> set[str]:
    """The ``n`` largest keys of ``sizes`` (a mapping or a Series), ties broken by name."""
    if isinstance(sizes, pd.Series):
        sizes = dict(zip(sizes.index, sizes.to_numpy()))
    return set(sorted(sizes, key=lambda o: (-sizes[o], o))[:n])


def _pool_rows(per: pd.Series | pd.DataFrame, max_rows: int, *, size: str | None = None):
    """``per`` (one row per outlet, indexed by outlet) with at most ``max_rows`` outlets kept,
    the largest by value (or by the column ``size``), and the others summed into a last row
    "Other outlets (N)"; and that label (None when nothing was pooled)."""
    if len(per) <= max_rows:
        return per, None
    inside = per.index.isin(_largest(per if size is None else per[size], max_rows))
    pooled = f"Other outlets ({len(per) - max_rows})"
    rest = per[~inside].sum()
    rest = rest.to_frame(pooled).T if isinstance(per, pd.DataFrame) else pd.Series([rest], index=[pooled])
    return pd.concat([per[inside], rest]), pooled


def _sorted_codes(labels: pd.Series) -> tuple[list, np.ndarray]:
    """The distinct labels, sorted, and each row's index into them."""
    codes, uniques = pd.factorize(labels, sort=True)
    return list(uniques), codes


def _pooled_colors(outlets, colors):
    cmap = _colors_for([o for o in outlets if not str(o).startswith("Other outlets (")], colors)
    cmap.update({o: UNKNOWN_COLOR for o in outlets if str(o).startswith("Other outlets (")})
    return cmap


def _short(label: str, width: int = MAX_LABEL) -> str:
    label = str(label)
    return label if len(label) <= width else label[: width - 1] + "…"


def _label(label, width: int = MAX_LABEL) -> str:
    """A category label / legend name: shortened, then escaped (plotly renders the
    escapes as the original characters, but never as markup)."""
    return _esc(_short(label, width))


def _esc(text) -> str:
    """Escape article text for a plotly hover label (plotly renders some HTML)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    return html.escape(str(text), quote=True)


def _wrap(text: str, width: int = 80, max_lines: int = 4) -> str:
    """Escape and wrap text for hover labels (``<br>`` between escaped lines)."""
    words = str(text).split()
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    return "<br>".join(_esc(x) for x in lines)


def _layout(title: str, xlabel: str | None, ylabel: str | None, *, height: int = HEIGHT,
            legend_title: str | None = None, **extra) -> dict:
    layout = dict(
        title=dict(text=title, x=0.01, xanchor="left"),
        xaxis=dict(title=dict(text=xlabel or ""), automargin=True),
        yaxis=dict(title=dict(text=ylabel or ""), automargin=True),
        height=height,
        margin=MARGIN,
        template=_TEMPLATE,
        font=dict(size=13),
        legend=dict(title=dict(text=legend_title or "")),
    )
    layout.update(extra)
    return layout


def _count_axis(values) -> dict:
    """Axis settings for counts: whole-number ticks when the counts are small."""
    vmax = float(np.nanmax(values)) if len(values) else 0.0
    return dict(rangemode="tozero", **({"dtick": 1} if vmax <= 8 else {}))


def empty_figure(title: str, message: str = "Nothing to show for this selection",
                 *, xlabel: str | None = None, ylabel: str | None = None) -> go.Figure:
    """A titled figure with a centred message, for empty selections."""
    fig = _go.Figure(layout=_layout(title, xlabel, ylabel))
    fig.add_annotation(text=_esc(message), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font=dict(size=15, color="#666"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _require(frame: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: frame lacks column(s) {missing}; has {list(frame.columns)}")


def _text(series: pd.Series) -> pd.Series:
    """The values as Python ``str`` in an object column (cheap for categoricals and object
    columns; ``astype(str)`` builds an Arrow string array in pandas 3, slow in callbacks).
    Missing values become ``str(value)`` ("nan", "None", "<NA>")."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        cats = np.array([str(c) for c in series.cat.categories] + ["nan"], dtype=object)
        codes = series.cat.codes.to_numpy()
        return pd.Series(cats[np.where(codes < 0, len(cats) - 1, codes)], index=series.index,
                         dtype=object)
    if series.dtype == object and (len(series) == 0 or (
            type(series.iat[0]) is str and type(series.iat[-1]) is str)):
        return series  # already text (the widgets' prepared frames)
    values = series.to_numpy(dtype=object)
    if isinstance(series.dtype, pd.StringDtype):
        if series.hasnans:   # the other values are str already
            values = np.array([v if type(v) is str else str(v) for v in values], dtype=object)
    elif not all(type(v) is str for v in values):
        values = np.array([str(v) for v in values], dtype=object)
    return pd.Series(values, index=series.index, dtype=object)


# --------------------------------------------------------------------------- corpus
def articles_per_outlet(articles: pd.DataFrame, *, colors: Mapping[str, str] | None = None,
                        title: str = "Articles per outlet",
                        max_rows: int = MAX_OUTLET_ROWS) -> go.Figure:
    """Horizontal bar: number of articles per outlet (one bar per outlet, outlet colours).

    ``articles``: one row per article with an ``outlet`` column (the articles frame or
    an ``article_stats`` frame). Above ``max_rows`` outlets the largest are drawn and the
    rest summed into one grey "Other outlets (N)" bar.
    """
    _require(articles, ["outlet"], "articles_per_outlet")
    if articles.empty:
        return empty_figure(title, xlabel="articles", ylabel="outlet")
    counts = _text(articles["outlet"]).value_counts()
    n_outlets = len(counts)
    counts, pooled = _pool_rows(counts, max_rows)
    counts = counts.sort_values()
    if pooled:   # the pooled bar goes to the bottom whatever its size
        counts = pd.concat([counts[counts.index == pooled], counts[counts.index != pooled]])
        title += f" ({max_rows} largest of {n_outlets:,} outlets)"
    cmap = _pooled_colors(counts.index, colors)
    fig = _go.Figure(_go.Bar(
        x=counts.to_numpy(), y=[_label(o) for o in counts.index], orientation="h",
        marker=dict(color=[cmap[o] for o in counts.index]),
        customdata=[[_esc(o)] for o in counts.index],
        hovertemplate="%{customdata[0]}<br>%{x} articles<extra></extra>",
        name="articles",
    ), layout=_layout(title, "articles", "outlet",
                      height=max(HEIGHT // 2, min(900, 120 + 28 * len(counts)))))
    fig.update_xaxes(**_count_axis(counts.to_numpy()))
    return fig


def size_per_outlet(stats: pd.DataFrame, *, colors: Mapping[str, str] | None = None,
                    title: str = "Sentences and tokens per outlet",
                    max_rows: int = MAX_OUTLET_ROWS) -> go.Figure:
    """Two side-by-side bar panels: sentences and tokens per outlet.

    ``stats``: one row per article with ``outlet, sentences, tokens`` (see
    :func:`analystkit.widgets.article_stats`). Above ``max_rows`` outlets the largest (by
    tokens) are drawn and the rest summed into one grey "Other outlets (N)" bar.
    """
    _require(stats, ["outlet", "sentences", "tokens"], "size_per_outlet")
    if stats.empty:
        return empty_figure(title, xlabel="outlet", ylabel="count")
    per = (stats.assign(outlet=_text(stats["outlet"]))
           .groupby("outlet", sort=True, observed=True)[["sentences", "tokens"]].sum())
    n_outlets = len(per)
    per, pooled = _pool_rows(per, max_rows, size="tokens")   # the rest summed as the last bar
    if pooled:
        title += f" ({max_rows} largest of {n_outlets:,} outlets)"
    cmap = _pooled_colors(per.index, colors)
    labels = [_label(o, 24) for o in per.index]
    hover = [[_esc(o)] for o in per.index]
    marker = [cmap[o] for o in per.index]
    fig = _Builder(layout=_layout(title, "outlet", "sentences", showlegend=False))
    fig.add_trace(_go.Bar(x=labels, y=per["sentences"].to_numpy(), marker=dict(color=marker),
                         name="sentences", customdata=hover, xaxis="x", yaxis="y",
                         hovertemplate="%{customdata[0]}<br>%{y} sentences<extra></extra>"))
    fig.add_trace(_go.Bar(x=labels, y=per["tokens"].to_numpy(), marker=dict(color=marker),
                         name="tokens", customdata=hover, xaxis="x2", yaxis="y2",
                         hovertemplate="%{customdata[0]}<br>%{y} tokens<extra></extra>"))
    fig = fig.figure()
    fig.update_layout(
        xaxis=dict(domain=[0, 0.46], title=dict(text="outlet")),
        xaxis2=dict(domain=[0.54, 1], title=dict(text="outlet"), anchor="y2", automargin=True),
        yaxis=dict(title=dict(text="sentences")),
        yaxis2=dict(title=dict(text="tokens"), anchor="x2", automargin=True),
    )
    return fig


# --------------------------------------------------------------------------- actors
def actor_mentions(counts: pd.DataFrame, *, top: int = 15, colors: Mapping[str, str] | None = None,
                   title: str = "Mentions per actor, by outlet") -> go.Figure:
    """Stacked horizontal bars: mentions of the ``top`` actors, one segment per outlet.

    ``counts``: one row per (outlet, actor) with ``mentions`` (see
    :func:`analystkit.widgets.actor_counts`), or a mentions frame with an ``outlet``
    column (one row per mention; counted here).
    """
    _require(counts, ["outlet", "actor"], "actor_mentions")
    if "mentions" not in counts.columns:
        counts = counts.groupby(["outlet", "actor"], observed=True).size().rename("mentions").reset_index()
    counts = counts[counts["mentions"] > 0]
    if counts.empty:
        return empty_figure(title, xlabel="mentions", ylabel="actor")
    counts = counts.assign(outlet=_text(counts["outlet"]), actor=_text(counts["actor"]))
    totals = counts.groupby("actor")["mentions"].sum().sort_values(ascending=False, kind="stable")
    keep = list(totals.index[:top])[::-1]  # biggest at the top of a horizontal chart
    sub = counts[counts["actor"].isin(keep)]
    sub = pool_outlets(sub, weight="mentions")
    sub = sub.groupby(["outlet", "actor"], as_index=False)["mentions"].sum()
    cmap = _pooled_colors(sub["outlet"].unique(), colors)
    fig = _Builder(layout=_layout(
        title + (f" (top {top})" if len(totals) > top else ""), "mentions", "actor",
        barmode="stack", legend_title="outlet",
        height=max(HEIGHT, min(900, 120 + 26 * len(keep)))))
    for outlet, grp in sorted(sub.groupby("outlet"), key=lambda kv: kv[0]):
        grp = grp.set_index("actor").reindex(keep)
        fig.add_trace(_go.Bar(
            y=[_label(a) for a in keep], x=grp["mentions"].fillna(0).to_numpy(), orientation="h",
            name=_label(outlet, 30), marker=dict(color=cmap[outlet]),
            customdata=[[_esc(a), _esc(outlet)] for a in keep],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{x} mentions<extra></extra>",
        ))
    fig = fig.figure()
    return fig


def _circle_layout(nodes: list[str], weight: Mapping[str, float]) -> np.ndarray:
    """Nodes on a circle, heaviest first clockwise from the top (deterministic, no overlap
    however the graph is shaped; labels sit outside the circle)."""
    order = sorted(nodes, key=lambda a: (-weight[a], a))
    n = len(order)
    angle = {a: np.pi / 2 - 2 * np.pi * i / n for i, a in enumerate(order)}
    return np.array([[math.cos(angle[a]), math.sin(angle[a])] for a in nodes])


def cooccurrence_network(pairs: pd.DataFrame, *, top: int = 25,
                         sizes: Mapping[str, float] | None = None,
                         title: str = "Who appears with whom (same sentence)") -> go.Figure:
    """Network of actors: an edge per pair that co-occurs, width ~ count.

    ``pairs``: one row per actor pair ``actor_a, actor_b, count`` (the output of
    :func:`analystkit.cooccurrence`). The ``top`` pairs by count are drawn; node size
    follows ``sizes`` (e.g. mentions per actor) or the node's summed pair counts.
    Nodes sit on a circle (deterministic), the most connected at the top.
    """
    _require(pairs, ["actor_a", "actor_b", "count"], "cooccurrence_network")
    pairs = pairs[pairs["count"] > 0]
    if pairs.empty:
        return empty_figure(title, "No two actors share a sentence in this selection")
    pairs = (pairs.assign(actor_a=_text(pairs["actor_a"]), actor_b=_text(pairs["actor_b"]))
             .sort_values(["count", "actor_a", "actor_b"], ascending=[False, True, True], kind="stable")
             .head(top))
    nodes = sorted(set(pairs["actor_a"]) | set(pairs["actor_b"]))
    index = {a: i for i, a in enumerate(nodes)}
    edges = [(index[a], index[b], float(c)) for a, b, c in
             zip(pairs["actor_a"], pairs["actor_b"], pairs["count"])]
    degree = pd.concat([pairs[["actor_a", "count"]].rename(columns={"actor_a": "a"}),
                        pairs[["actor_b", "count"]].rename(columns={"actor_b": "a"})]
                       ).groupby("a")["count"].sum()
    weight = {a: float((sizes or {}).get(a, degree.get(a, 1))) for a in nodes}
    pos = _circle_layout(nodes, weight)
    wmax = max(weight.values()) or 1.0
    cmax = float(pairs["count"].max())
    fig = _Builder(layout=_layout(title, None, None, showlegend=False, height=HEIGHT + 80,
                                   hovermode="closest"))
    # one line trace per width bucket keeps the trace count small
    for bucket in range(1, 6):
        xs, ys = [], []
        for (a, b, c) in edges:
            if min(5, 1 + int(4 * c / cmax)) == bucket:
                xs += [pos[a, 0], pos[b, 0], None]
                ys += [pos[a, 1], pos[b, 1], None]
        if xs:
            fig.add_trace(_go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip",
                                     line=dict(width=bucket * 1.5, color="rgba(120,120,120,0.5)")))
    fig.add_trace(_go.Scatter(
        x=pos[:, 0], y=pos[:, 1], mode="markers+text", text=[_label(a, 24) for a in nodes],
        textposition=["middle right" if x > 0.05 else "middle left" if x < -0.05
                      else ("top center" if y > 0 else "bottom center") for x, y in pos],
        marker=dict(size=[12 + 28 * weight[a] / wmax for a in nodes], color="#636EFA",
                    line=dict(width=1, color="#fff")),
        customdata=[[_esc(a), weight[a], int(degree.get(a, 0))] for a in nodes],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]:.0f} mentions · "
                      "%{customdata[2]} shared sentences<extra></extra>", name="actors",
    ))
    fig = fig.figure()
    fig.update_xaxes(visible=False, range=[-2.0, 2.0])
    fig.update_yaxes(visible=False, range=[-1.25, 1.25], scaleanchor="x", scaleratio=1)
    return fig


# --------------------------------------------------------------------------- statements
def statement_hover(frame: pd.DataFrame) -> list[str]:
    """Escaped hover label per statement: speaker (outlet) and the wrapped content.

    Widgets compute this once into a ``hover`` column; charts reuse it when present.
    """
    if "hover" in frame.columns:
        return frame["hover"].tolist()
    return [f"<b>{_esc(s)}</b> ({_esc(o)})<br>{_wrap(t)}"
            for s, o, t in zip(frame["speaker"], frame["outlet"], frame["text"])]


def _cap(frame: pd.DataFrame, max_points: int | None) -> pd.DataFrame:
    """A deterministic, evenly spaced subset of at most ``max_points`` rows."""
    if max_points is None or len(frame) <= max_points:
        return frame
    return frame.iloc[_cap_positions(np.arange(len(frame)), max_points)]


def _cap_positions(positions: np.ndarray, max_points: int | None) -> np.ndarray:
    """:func:`_cap` on an array of row positions."""
    if max_points is None or len(positions) <= max_points:
        return positions
    idx = np.linspace(0, len(positions) - 1, max_points).round().astype(int)
    return positions[np.unique(idx)]


def tone_by_speaker(statements: pd.DataFrame, *, top: int = 15, max_points: int | None = 3000,
                    colors: Mapping[str, str] | None = None,
                    title: str = "Tone of statements per speaker") -> go.Figure:
    """Dot plot: one dot per statement (x = VADER compound, y = speaker), outlet colours.

    ``statements``: scored statements with an ``outlet`` column (one row per
    statement). Only the ``top`` speakers by number of statements are shown. Each
    point's ``customdata`` is ``[article_id, statement_id]``, so a click can
    open the sentence behind it. More than ``max_points`` dots are thinned to an evenly
    spaced sample (said in the title) to keep the browser responsive.
    """
    _require(statements, ["speaker", "compound", "outlet", "article_id", "statement_id", "text"],
             "tone_by_speaker")
    if statements.empty:
        return empty_figure(title, xlabel="tone (VADER compound, −1 … +1)", ylabel="speaker")
    order = statements["speaker"].astype(object).value_counts(sort=False)
    order = order[order > 0]
    order.index = [str(s) for s in order.index]
    order = order.groupby(level=0).sum().sort_values(ascending=False, kind="stable")
    keep = sorted(order.index[:top], key=lambda s: (-order[s], s))[::-1]
    # positions of the kept speakers' statements, thinned, then one take of those rows
    rows = np.flatnonzero(_text(statements["speaker"]).isin(keep).to_numpy())
    shown = _cap_positions(rows, max_points)
    if len(shown) < len(rows):
        title += f" — {len(shown):,} of {len(rows):,} statements shown"
    st = statements.iloc[shown]
    st = pool_outlets(st.assign(speaker=_text(st["speaker"]), outlet=_text(st["outlet"])))
    rank = {s: i for i, s in enumerate(keep)}
    cmap = _pooled_colors(st["outlet"].unique(), colors)
    fig = _Builder(layout=_layout(
        title + (f" (top {top} speakers)" if len(order) > top else ""),
        "tone (VADER compound, −1 … +1)", "speaker", legend_title="outlet",
        height=max(HEIGHT, min(900, 140 + 30 * len(keep))), hovermode="closest"))
    for outlet, grp in sorted(st.groupby("outlet"), key=lambda kv: kv[0]):
        # deterministic vertical jitter so that equal scores do not hide each other
        jitter = ((grp["statement_id"].astype(int).to_numpy() * 37) % 11 - 5) / 25.0
        fig.add_trace(_go.Scatter(
            x=grp["compound"].to_numpy(dtype=float),
            y=np.array([rank[s] for s in grp["speaker"]]) + jitter,
            mode="markers", name=_label(outlet, 30),
            marker=dict(size=11, color=cmap[outlet], opacity=0.85, line=dict(width=1, color="#fff")),
            customdata=np.c_[_text(grp["article_id"]).to_numpy(),
                             grp["statement_id"].astype(int).to_numpy()].tolist(),
            hovertext=statement_hover(grp), hoverinfo="text",
        ))
    fig = fig.figure()
    fig.add_vline(x=0, line=dict(color="#bbb", width=1))
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(keep))),
                     ticktext=[_label(s, 30) for s in keep], range=[-0.7, len(keep) - 0.3])
    fig.update_xaxes(range=[-1.05, 1.05], zeroline=False)
    return fig


def tone_by_outlet(statements: pd.DataFrame, *, colors: Mapping[str, str] | None = None,
                   max_points: int | None = 3000,
                   title: str = "Tone of statements per outlet") -> go.Figure:
    """Box plot with all points: VADER compound of the statements, one box per outlet.

    ``statements``: scored statements with an ``outlet`` column. Points carry
    ``customdata = [article_id, statement_id]``; above ``max_points`` statements only
    the boxes are drawn (quartiles computed here, whiskers at 1.5 IQR).
    """
    _require(statements, ["compound", "outlet", "article_id", "statement_id"], "tone_by_outlet")
    if statements.empty:
        return empty_figure(title, xlabel="outlet", ylabel="tone (VADER compound)")
    many = max_points is not None and len(statements) > max_points
    # only the columns drawn: boxes need outlet and tone, points also their ids and hover
    cols = ["outlet", "compound"] + ([] if many else [
        c for c in statements.columns if c in ("article_id", "statement_id", "hover", "speaker", "text")])
    st = pool_outlets(statements[cols])
    st = st.assign(outlet=_text(st["outlet"]))
    cmap = _pooled_colors(st["outlet"].unique(), colors)
    fig = _Builder(layout=_layout(title, "outlet", "tone (VADER compound, −1 … +1)",
                                   showlegend=False, hovermode="closest"))
    for outlet, grp in sorted(st.groupby("outlet"), key=lambda kv: kv[0]):
        if many:  # boxes computed here (quartiles, 1.5 IQR fences): no per-point payload
            y = grp["compound"].to_numpy(dtype=float)
            y = y[~np.isnan(y)]
            if not len(y):
                continue
            q1, med, q3 = np.percentile(y, [25, 50, 75])
            iqr = q3 - q1
            lo, hi = y[y >= q1 - 1.5 * iqr].min(), y[y <= q3 + 1.5 * iqr].max()
            name = _label(outlet, 24)
            fig.add_trace(_go.Box(x=[name], q1=[q1], median=[med], q3=[q3], lowerfence=[lo],
                                 upperfence=[hi], mean=[float(y.mean())], name=name,
                                 marker=dict(color=cmap[outlet]), boxpoints=False))
            continue
        hover = (statement_hover(grp) if {"speaker", "text"} <= set(grp.columns)
                 else [_esc(outlet)] * len(grp))
        fig.add_trace(_go.Box(
            y=grp["compound"].to_numpy(dtype=float), name=_label(outlet, 24),
            boxpoints="all", jitter=0.4, pointpos=0, marker=dict(color=cmap[outlet]),
            customdata=np.c_[_text(grp["article_id"]).to_numpy(),
                             grp["statement_id"].astype(int).to_numpy()].tolist(),
            hovertext=hover, hoverinfo="text",
        ))
    fig = fig.figure()
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig


def official_vs_other(statements: pd.DataFrame, *, colors: Mapping[str, str] | None = None,
                      title: str = "Statements by officials vs other speakers") -> go.Figure:
    """Grouped bars: number of statements by official and by other speakers, per outlet.

    ``statements``: one row per statement with ``outlet, is_official`` (and
    ``compound`` for the mean tone shown on hover).
    """
    _require(statements, ["outlet", "is_official"], "official_vs_other")
    if statements.empty:
        return empty_figure(title, xlabel="speaker", ylabel="statements")
    st = pd.DataFrame({
        "outlet": statements["outlet"],
        "group": pd.Categorical.from_codes(
            np.where(statements["is_official"].fillna(False).astype(bool), 0, 1),
            categories=["officials", "other speakers"]),
        "compound": statements["compound"] if "compound" in statements.columns else np.nan,
    }, index=statements.index)
    st = pool_outlets(st)
    # counts and mean tone per (outlet, group) from integer codes (a filter callback runs
    # this on every change; a pandas groupby on the outlet strings was most of its time)
    outlets, codes = _sorted_codes(_text(st["outlet"]))
    key = codes * 2 + st["group"].cat.codes.to_numpy()
    n = np.bincount(key, minlength=2 * len(outlets))
    tone_v = st["compound"].to_numpy(dtype=float)
    ok = ~np.isnan(tone_v)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.bincount(key[ok], weights=tone_v[ok], minlength=2 * len(outlets))
                / np.bincount(key[ok], minlength=2 * len(outlets)))
    cmap = _pooled_colors(outlets, colors)
    groups = ["officials", "other speakers"]
    fig = _Builder(layout=_layout(title, "speaker", "statements", barmode="group",
                                   legend_title="outlet"))
    for i, outlet in enumerate(outlets):
        y = n[2 * i:2 * i + 2]
        # as before: a group the outlet lacks made the counts float (NaN filled with 0)
        y = y.astype(float) if (y == 0).any() else y
        tone = ["n/a" if np.isnan(t) else f"{t:+.2f}" for t in mean[2 * i:2 * i + 2]]
        fig.add_trace(_go.Bar(
            x=groups, y=y, name=_label(outlet, 30),
            marker=dict(color=cmap[outlet]),
            customdata=[[_esc(outlet), t] for t in tone],
            hovertemplate="%{customdata[0]}<br>%{x}: %{y} statements<br>"
                          "mean tone %{customdata[1]}<extra></extra>",
        ))
    fig = fig.figure()
    return fig


# --------------------------------------------------------------------------- issues
MEASURES = {
    "share_of_sentences": "share of sentences",
    "share_of_articles": "share of articles",
    "per_1k_tokens": "hits per 1,000 tokens",
    "hits": "hits",
    "articles": "articles",
    "sentences": "sentences",
}


def coverage_heatmap(coverage: pd.DataFrame, *, measure: str = "share_of_sentences",
                     by: str = "outlet", title: str | None = None,
                     max_rows: int = MAX_OUTLET_ROWS) -> go.Figure:
    """Heatmap ``by`` × issue of one coverage measure (zeros included).

    ``coverage``: one row per (group, issue), the output of :func:`analystkit.coverage`.
    Each cell's ``customdata`` is ``[group, issue]`` so a click can show its evidence.
    Above ``max_rows`` groups only the ``max_rows`` with the most hits are drawn (said in
    the title): shares cannot be summed into an "other" row without the groups' totals.
    """
    _require(coverage, [by, "issue", measure], "coverage_heatmap")
    label = MEASURES.get(measure, measure.replace("_", " "))
    title = title or f"Issue coverage per {by}: {label}"
    if coverage.empty:
        return empty_figure(title, xlabel="issue", ylabel=by)
    cov = coverage.assign(**{by: _text(coverage[by]), "issue": _text(coverage["issue"])})
    grid = cov.pivot_table(index=by, columns="issue", values=measure, aggfunc="sum",
                           fill_value=0, observed=True).sort_index()
    grid = grid[sorted(grid.columns)]
    if len(grid) > max_rows:   # unreadable (and slow) beyond: the groups with the most hits
        weight = (cov.groupby(by, observed=True)["hits"].sum() if "hits" in cov.columns
                  else grid.sum(axis=1))
        keep = _largest(weight, max_rows)
        title += f" ({max_rows} of {len(grid):,} with the most hits)"
        grid = grid[grid.index.isin(keep)]
    z = grid.to_numpy(dtype=float)
    fmt = ".0%" if measure.startswith("share") else ".3g"
    fig = _go.Figure(_go.Heatmap(
        z=z, x=[_label(c.replace("_", " ")) for c in grid.columns], y=[_label(o, 30) for o in grid.index],
        colorscale=HEAT_SCALE, colorbar=dict(title=dict(text=label)), zmin=0,
        customdata=[[[_esc(o), i] for i in grid.columns] for o in grid.index],
        texttemplate="%{z:" + fmt + "}",
        hovertemplate="%{customdata[0]}<br>%{customdata[1]}: %{z:" + fmt + "}<extra></extra>",
    ), layout=_layout(title, "issue", by, height=max(HEIGHT, min(900, 160 + 34 * len(grid)))))
    fig.update_yaxes(autorange="reversed")
    return fig


def keyness_bars(keyness: pd.DataFrame, *, top: int = 15, outlet: str | None = None,
                 colors: Mapping[str, str] | None = None, title: str | None = None) -> go.Figure:
    """Horizontal bars of the most distinctive terms of an outlet (highest keyness).

    ``keyness``: one row per term with a ``term`` (or ``token``/``lower``) column and a
    score column (``loglik``, ``keyness``, ``score`` or ``g2``), as returned by
    :func:`analystkit.keyness`. Only positive scores (over-used by the target) are shown.
    """
    term_col = next((c for c in ("term", "token", "lower", "word") if c in keyness.columns), None)
    score_col = next((c for c in ("keyness", "loglik", "log_likelihood", "g2", "score", "llr")
                      if c in keyness.columns), None)
    title = title or (f"Distinctive terms: {_label(outlet, 40)}" if outlet else "Distinctive terms")
    if term_col is None or score_col is None:
        raise ValueError(f"keyness_bars: need a term and a score column; got {list(keyness.columns)}")
    kn = keyness[keyness[score_col] > 0].sort_values(score_col, ascending=False, kind="stable").head(top)
    if kn.empty:
        return empty_figure(title, "No term is distinctive for this selection",
                            xlabel=score_col, ylabel="term")
    kn = kn.iloc[::-1]
    color = (_colors_for([outlet], colors)[outlet]) if outlet else PALETTE[0]
    return _go.Figure(_go.Bar(
        x=kn[score_col].to_numpy(dtype=float), y=[_label(t, 30) for t in kn[term_col]],
        orientation="h", marker=dict(color=color),
        customdata=[[_esc(t)] for t in kn[term_col]],
        hovertemplate="%{customdata[0]}: %{x:.1f}<extra></extra>",
    ), layout=_layout(title, "keyness (log-likelihood G², higher = more distinctive)"
                      if score_col in ("keyness", "loglik", "g2") else f"keyness ({score_col})", "term",
                      height=max(HEIGHT, min(900, 120 + 24 * len(kn)))))


# --- compare (issue 8)
SOURCING_COLORS = {
    "named": "#1F77B4", "unattributed": "#9E9E9E",
    "direct": "#FF7F0E", "indirect": "#FECB52",
    "official": "#2CA02C", "other": "#C7C7C7",
    "Russia": "#D62728", "Ukraine": "#FFD700", "US": "#1F77B4", "Europe": "#3283FE",
    "unknown": "#E2E2E2",
}
SOURCING_TITLES = {
    "source": "Named vs unattributed sources",
    "kind": "Direct quotes vs reported speech",
    "official": "Officials vs others",
    "affiliation": "Whose side speaks (speaker affiliation)",
}


def sourcing_bars(profile: pd.DataFrame, *, dimension: str = "affiliation",
                  by: str = "outlet", title: str | None = None,
                  max_rows: int = MAX_OUTLET_ROWS) -> go.Figure:
    """Stacked horizontal bars: per outlet, the share of its statements in each value of one
    sourcing ``dimension`` (``source``, ``kind``, ``official``, ``affiliation``).

    ``profile``: the frame of :func:`analystkit.compare.sourcing_profile` (one row per
    (outlet, dimension, value): ``count, statements, share``). Outlets without statements are
    listed with an empty bar and "0 statements" in their label. Above ``max_rows`` outlets
    the ``max_rows`` with the most statements are drawn and the others pooled into one
    "Other outlets (N)" bar at the bottom (their counts summed, shares recomputed).
    """
    _require(profile, [by, "dimension", "value", "count", "statements", "share"], "sourcing_bars")
    title = title or SOURCING_TITLES.get(dimension, f"Sourcing: {dimension}")
    sub = profile[profile["dimension"] == dimension]
    if sub.empty:
        return empty_figure(title, xlabel="share of the outlet's statements", ylabel=by)
    values = list(dict.fromkeys(sub["value"].astype(str)))
    sub = sub.assign(**{by: _text(sub[by]), "value": _text(sub["value"])})
    totals = sub.drop_duplicates(by).set_index(by)["statements"]
    pooled = None
    if len(totals) > max_rows:
        keep = _largest(totals, max_rows)
        pooled = f"Other outlets ({len(totals) - max_rows})"
        title += f" ({max_rows} of {len(totals):,} outlets with the most statements)"
        inside = sub[by].isin(keep)
        n_pooled = int(totals[~totals.index.isin(keep)].sum())
        counts = sub[~inside].groupby("value", sort=False)["count"].sum()
        other = pd.DataFrame({by: pooled, "dimension": dimension, "value": counts.index,
                              "count": counts.to_numpy(), "statements": n_pooled,
                              "share": counts.to_numpy() / n_pooled if n_pooled else 0.0})
        sub = pd.concat([sub[inside], other], ignore_index=True)
        totals = pd.concat([totals[totals.index.isin(keep)], pd.Series({pooled: n_pooled})])
    outlets = sorted((o for o in sub[by].unique() if o != pooled), reverse=True)
    if pooled:
        outlets = [pooled] + outlets   # the first category is the bottom bar
    ylabels = [f"{_label(o)} ({int(totals.get(o, 0))})" for o in outlets]
    fig = go.Figure(layout=_layout(title, "share of the outlet's statements", None,
                                   height=max(HEIGHT, 40 + 28 * len(outlets)),
                                   legend_title=dimension, barmode="stack"))
    for i, value in enumerate(values):
        rows = sub[sub["value"] == value]
        share_of = dict(zip(rows[by], rows["share"].to_numpy(dtype=float)))
        count_of = dict(zip(rows[by], rows["count"].to_numpy()))
        share = [float(share_of.get(o, 0.0)) for o in outlets]
        count = [int(count_of.get(o, 0)) for o in outlets]
        fig.add_trace(go.Bar(
            x=share, y=ylabels, orientation="h", name=_label(value),
            marker_color=SOURCING_COLORS.get(value, PALETTE[i % len(PALETTE)]),
            customdata=[[_esc(o), c] for o, c in zip(outlets, count)],
            hovertemplate=("%{customdata[0]}<br>" + _esc(value) +
                           ": %{customdata[1]} statements (%{x:.0%})<extra></extra>"),
        ))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return fig


def syndication_bars(syndication: pd.DataFrame, paragraphs: pd.DataFrame,
                     articles: pd.DataFrame, *, colors: Mapping[str, str] | None = None,
                     title: str = "Share of paragraphs copied from another article") -> go.Figure:
    """Horizontal bar per outlet: copied paragraphs (``is_copy`` rows of
    :func:`analystkit.compare.find_syndication`) as a share of the outlet's paragraphs."""
    _require(syndication, ["article_id", "is_copy"], "syndication_bars")
    _require(articles, ["article_id", "outlet"], "syndication_bars")
    outlet = dict(zip(articles["article_id"].astype(str), articles["outlet"].astype(str)))
    paras = paragraphs["article_id"].astype(str).map(outlet).value_counts()
    if paras.empty:
        return empty_figure(title, xlabel="share of paragraphs", ylabel="outlet")
    copies = syndication.loc[syndication["is_copy"], "article_id"].astype(str).map(outlet)
    copies = copies.value_counts().reindex(paras.index, fill_value=0)
    share = (copies / paras).sort_values()
    cmap = _colors_for(share.index, colors)
    fig = go.Figure(go.Bar(
        x=share.to_numpy(), y=[_label(o) for o in share.index], orientation="h",
        marker_color=[cmap[o] for o in share.index],
        customdata=[[_esc(o), int(copies[o]), int(paras[o])] for o in share.index],
        hovertemplate="%{customdata[0]}<br>%{customdata[1]} of %{customdata[2]} paragraphs "
                      "copied (%{x:.0%})<extra></extra>"),
        layout=_layout(title, "share of paragraphs", None,
                       height=max(HEIGHT, 40 + 28 * len(share))))
    fig.update_xaxes(range=[0, 1], tickformat=".0%")
    return fig


__all__ += ["sourcing_bars", "syndication_bars", "SOURCING_COLORS"]
