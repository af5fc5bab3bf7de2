"""analystkit.plots: pure frame -> plotly Figure functions."""
from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import pytest
from fake_corpus import make_corpus

from analystkit import plots
from analystkit import widgets as W


@pytest.fixture(autouse=True)
def validate_figures(monkeypatch):
    """Plotly validation is off in the library for speed; the tests switch it on."""
    monkeypatch.setattr(plots, "VALIDATE", True)


@pytest.fixture(scope="module")
def corpus():
    return make_corpus()


@pytest.fixture(scope="module")
def colors(corpus):
    return plots.outlet_colors(corpus.articles["outlet"])


def _titles(fig: go.Figure):
    lay = fig.layout
    return lay.title.text, lay.xaxis.title.text, lay.yaxis.title.text


def _trace_colors(fig):
    """outlet label -> colour of its trace (traces named after outlets)."""
    return {t.name: t.marker.color for t in fig.data if t.name}


# --------------------------------------------------------------------------- colours
def test_outlet_colors_deterministic_distinct_and_order_free():
    a = plots.outlet_colors(["Reuters", "BBC", "TASS", "BBC"])
    b = plots.outlet_colors(["TASS", "Reuters", "BBC"])
    assert a == b
    assert len(set(a.values())) == 3
    assert a["BBC"] == plots.PALETTE[0]  # sorted order takes the palette


def test_outlet_colors_many_outlets_and_unknown_grey():
    names = [f"Outlet {i:03d}" for i in range(80)] + ["Unknown outlet (x1)"]
    cmap = plots.outlet_colors(names)
    assert len(set(cmap[n] for n in names[: len(plots.PALETTE)])) == len(plots.PALETTE)
    assert all(c.startswith("#") and len(c) == 7 for c in cmap.values())
    assert cmap["Unknown outlet (x1)"] == plots.UNKNOWN_COLOR
    assert plots.outlet_colors(names) == cmap  # hash-derived colours are stable


def test_same_outlet_same_colour_in_every_chart(corpus, colors):
    stats = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens)
    st = W.with_outlet(corpus.statements, corpus.articles)
    counts = W.actor_counts(corpus.mentions, corpus.articles)
    bar = plots.articles_per_outlet(stats, colors=colors)
    by_outlet = dict(zip([d[0] for d in bar.data[0].customdata], bar.data[0].marker.color))
    assert by_outlet["Daily Planet"] == colors["Daily Planet"]
    for fig in (plots.actor_mentions(counts, colors=colors),
                plots.tone_by_speaker(st, colors=colors),
                plots.official_vs_other(st, colors=colors)):
        tc = _trace_colors(fig)
        assert tc["Daily Planet"] == colors["Daily Planet"]
        assert tc["Evening Post"] == colors["Evening Post"]


def test_filtered_chart_keeps_colours_when_mapping_passed(corpus, colors):
    st = W.with_outlet(corpus.statements, corpus.articles)
    only = st[st["outlet"] == "Evening Post"]
    fig = plots.tone_by_outlet(only, colors=colors)
    assert [t.marker.color for t in fig.data] == [colors["Evening Post"]]


# --------------------------------------------------------------------------- every chart
def _all_figures(corpus, colors):
    stats = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens)
    st = W.with_outlet(corpus.statements, corpus.articles)
    counts = W.actor_counts(corpus.mentions, corpus.articles)
    pairs = W.actor_pairs(corpus.mentions, corpus.articles)
    kn = pd.DataFrame({"term": ["territory", "plan", "rare"], "keyness": [5.0, 2.0, -1.0]})
    return {
        "articles": plots.articles_per_outlet(stats, colors=colors),
        "size": plots.size_per_outlet(stats, colors=colors),
        "mentions": plots.actor_mentions(counts, colors=colors),
        "speaker": plots.tone_by_speaker(st, colors=colors),
        "outlet": plots.tone_by_outlet(st, colors=colors),
        "official": plots.official_vs_other(st, colors=colors),
        "heatmap": plots.coverage_heatmap(corpus.coverage),
        "keyness": plots.keyness_bars(kn, outlet="Daily Planet", colors=colors),
        "network": plots.cooccurrence_network(pairs.groupby(["actor_a", "actor_b"], as_index=False)
                                              [["count", "articles"]].sum()),
    }


def test_every_chart_is_titled_labelled_and_sized(corpus, colors):
    for name, fig in _all_figures(corpus, colors).items():
        title, x, y = _titles(fig)
        assert title, name
        assert fig.data, name
        if name != "network":  # the network has no meaningful axes
            assert x and y, name
        assert 200 <= fig.layout.height <= 900, name
        fig.to_json()  # serialisable as is


def test_no_live_html_from_articles_in_figures(corpus, colors):
    """The c1 article has <script> in its title and <b> in a quote; outlet 'Wire <Agency>'."""
    for name, fig in _all_figures(corpus, colors).items():
        js = json.dumps(fig.to_plotly_json()["data"], default=str)
        assert "<script" not in js, name
        assert "<Agency>" not in js and "<b>ceasefire" not in js, name
    speaker = _all_figures(corpus, colors)["speaker"]
    hover = " ".join(h for t in speaker.data for h in t.hovertext)
    assert "&lt;b&gt;ceasefire&lt;/b&gt;" in hover


def test_empty_frames_give_titled_empty_figures(corpus):
    st = W.with_outlet(corpus.statements, corpus.articles).iloc[0:0]
    stats = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens).iloc[0:0]
    for fig in (plots.articles_per_outlet(stats), plots.size_per_outlet(stats),
                plots.tone_by_speaker(st), plots.tone_by_outlet(st), plots.official_vs_other(st),
                plots.coverage_heatmap(corpus.coverage.iloc[0:0]),
                plots.actor_mentions(pd.DataFrame({"outlet": [], "actor": [], "mentions": []})),
                plots.cooccurrence_network(pd.DataFrame({"actor_a": [], "actor_b": [], "count": []}))):
        assert fig.layout.title.text
        assert not fig.data
        assert fig.layout.annotations[0].text


def test_missing_column_is_a_clear_error(corpus):
    with pytest.raises(ValueError, match="compound"):
        plots.tone_by_outlet(corpus.statements.drop(columns=["compound"]).assign(outlet="x"))
    with pytest.raises(ValueError, match="term"):
        plots.keyness_bars(pd.DataFrame({"x": [1]}))


# --------------------------------------------------------------------------- specifics
def test_articles_per_outlet_counts(corpus):
    fig = plots.articles_per_outlet(corpus.articles)
    got = dict(zip([c[0] for c in fig.data[0].customdata], fig.data[0].x))
    assert got == {"Daily Planet": 2, "Evening Post": 1, "Wire &lt;Agency&gt;": 1}


def test_size_per_outlet_sums(corpus):
    stats = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens)
    fig = plots.size_per_outlet(stats)
    sents = dict(zip(fig.data[0].x, fig.data[0].y))
    assert sents["Daily Planet"] == 7 and sents["Evening Post"] == 3
    toks = dict(zip(fig.data[1].x, fig.data[1].y))
    assert toks["Daily Planet"] == len(corpus.tokens[corpus.tokens.article_id.isin(["a1", "a2"])])


def test_actor_mentions_top_and_stacking(corpus):
    counts = W.actor_counts(corpus.mentions, corpus.articles)
    fig = plots.actor_mentions(counts, top=2)
    assert fig.layout.barmode == "stack"
    actors = set(fig.data[0].y)
    assert actors == {"Vladimir Putin", "Steve Witkoff"}  # 3 mentions each, the most
    assert "top 2" in fig.layout.title.text
    total = sum(x for t in fig.data for x in t.x)
    assert total == 6
    # also accepts a raw mentions frame with an outlet column
    raw = plots.actor_mentions(W.with_outlet(corpus.mentions, corpus.articles), top=2)
    assert sum(x for t in raw.data for x in t.x) == 6


def test_tone_points_carry_statement_keys(corpus):
    st = W.with_outlet(corpus.statements, corpus.articles)
    fig = plots.tone_by_speaker(st)
    keys = {tuple(cd) for t in fig.data for cd in t.customdata}
    assert keys == {(a, s) for a, s in zip(st.article_id, st.statement_id)}
    xs = sorted(x for t in fig.data for x in t.x)
    assert xs == sorted(st["compound"])


def test_tone_by_speaker_thins_many_points(corpus):
    st = W.with_outlet(corpus.statements, corpus.articles)
    big = pd.concat([st.assign(statement_id=st.statement_id + 10 * i) for i in range(50)],
                    ignore_index=True)
    fig = plots.tone_by_speaker(big, max_points=40)
    assert sum(len(t.x) for t in fig.data) <= 40
    assert "of 250 statements shown" in fig.layout.title.text


def test_official_vs_other_counts(corpus):
    st = W.with_outlet(corpus.statements, corpus.articles)
    fig = plots.official_vs_other(st)
    by = {t.name: dict(zip(t.x, t.y)) for t in fig.data}
    assert by["Daily Planet"]["officials"] == 2
    assert by["Wire &lt;Agency&gt;"]["other speakers"] == 1


@pytest.mark.parametrize("measure", ["share_of_sentences", "per_1k_tokens", "hits", "articles"])
def test_coverage_heatmap_values(corpus, measure):
    fig = plots.coverage_heatmap(corpus.coverage, measure=measure)
    hm = fig.data[0]
    cov = corpus.coverage
    exp = cov[(cov.outlet == "Evening Post") & (cov.issue == "sanctions")][measure].iloc[0]
    r = list(hm.y).index("Evening Post")
    c = list(hm.x).index("sanctions")
    assert hm.z[r][c] == pytest.approx(exp)
    assert hm.customdata[r][c] == ["Evening Post", "sanctions"]
    assert measure.split("_")[0] in fig.layout.title.text.replace(" ", "_").lower() or \
        plots.MEASURES[measure] in fig.layout.title.text


def test_keyness_bars_only_positive_sorted():
    kn = pd.DataFrame({"term": ["a", "b", "c", "d"], "keyness": [1.0, 9.0, -3.0, 4.0]})
    fig = plots.keyness_bars(kn, top=2)
    assert list(fig.data[0].y) == ["d", "b"]  # biggest at the top
    assert list(fig.data[0].x) == [4.0, 9.0]


def test_network_layout_deterministic_and_weights(corpus):
    pairs = W.actor_pairs(corpus.mentions, corpus.articles)
    pairs = pairs.groupby(["actor_a", "actor_b"], as_index=False)[["count", "articles"]].sum()
    f1 = plots.cooccurrence_network(pairs)
    f2 = plots.cooccurrence_network(pairs)
    assert f1.to_json() == f2.to_json()
    nodes = f1.data[-1]
    assert set(nodes.text) == {"Steve Witkoff", "Vladimir Putin"}
    assert pairs["count"].max() == 2  # Putin+Witkoff share two sentences


def test_plots_do_not_mutate_inputs(corpus, colors):
    st = W.with_outlet(corpus.statements, corpus.articles)
    before = st.copy()
    cov = corpus.coverage.copy()
    plots.tone_by_speaker(st, colors=colors)
    plots.tone_by_outlet(st, colors=colors)
    plots.official_vs_other(st, colors=colors)
    plots.coverage_heatmap(corpus.coverage)
    pd.testing.assert_frame_equal(st, before)
    pd.testing.assert_frame_equal(corpus.coverage, cov)


def test_many_outlets_are_pooled_into_other_outlets():
    """One honest 'Unknown outlet (id)' per article must not mean hundreds of traces."""
    from analystkit import plots

    n = 60
    counts = pd.DataFrame({"outlet": [f"Unknown outlet (a{i:02d})" for i in range(n)] + ["Big Wire"],
                           "actor": ["Putin"] * (n + 1), "mentions": [1] * n + [50]})
    pooled = plots.pool_outlets(counts, weight="mentions")
    assert pooled["outlet"].nunique() == plots.MAX_OUTLET_TRACES + 1
    assert f"Other outlets ({n + 1 - plots.MAX_OUTLET_TRACES})" in set(pooled["outlet"])
    assert "Big Wire" in set(pooled["outlet"])                 # the largest outlets keep their trace
    assert pooled["mentions"].sum() == counts["mentions"].sum()  # nothing lost
    fig = plots.actor_mentions(counts)
    assert len(fig.data) == plots.MAX_OUTLET_TRACES + 1
    other = [t for t in fig.data if t.name.startswith("Other outlets")][0]
    assert other.marker.color == plots.UNKNOWN_COLOR and sum(other.x) == n + 1 - plots.MAX_OUTLET_TRACES
    small = counts.head(5)
    assert plots.pool_outlets(small) is small                  # few outlets: unchanged


def test_pool_outlets_on_category_codes_matches_strings():
    """The callback fast path (categorical outlet) pools exactly like the string path on
    the charts' text labels (ties broken by name, a missing outlet labelled "nan")."""
    names = [f"Outlet {i:02d}" for i in range(30)]
    outlets = [n for i, n in enumerate(names) for _ in range(1 + i % 4)] + [None, None]
    frame = pd.DataFrame({"outlet": outlets, "x": range(len(outlets))})
    as_cat = frame.assign(outlet=pd.Categorical(outlets, categories=names + ["Unused"]))
    as_str = frame.assign(outlet=plots._text(as_cat["outlet"]))   # what the charts drew before
    a, b = plots.pool_outlets(as_cat), plots.pool_outlets(as_str)
    assert list(a["outlet"]) == list(b["outlet"])
    assert a["outlet"].nunique() == plots.MAX_OUTLET_TRACES + 1
    assert "Outlet 03" in set(a["outlet"]) and "Outlet 00" not in set(a["outlet"])  # 4 rows vs 1
    few = as_cat.head(3)
    assert plots.pool_outlets(few) is few


def _many_outlets(n=55):
    rows = [{"article_id": f"a{i}-{j}", "outlet": f"Outlet {i:02d}", "sentences": 2, "tokens": 10 + i}
            for i in range(n) for j in range(1 + i % 3)]
    return pd.DataFrame(rows)


def test_outlet_bar_charts_cap_rows_and_keep_totals():
    stats = _many_outlets()
    fig = plots.articles_per_outlet(stats)
    bar = fig.data[0]
    assert len(bar.y) == plots.MAX_OUTLET_ROWS + 1
    assert sum(bar.x) == len(stats)                                  # nothing lost
    assert bar.y[0] == "Other outlets (15)"                          # pooled bar at the bottom
    assert bar.marker.color[0] == plots.UNKNOWN_COLOR
    assert "40 largest of 55 outlets" in fig.layout.title.text
    size = plots.size_per_outlet(stats)
    sent, tok = size.data[0], size.data[1]
    assert len(sent.x) == plots.MAX_OUTLET_ROWS + 1 and sent.x[-1] == "Other outlets (15)"
    assert sum(sent.y) == stats["sentences"].sum() and sum(tok.y) == stats["tokens"].sum()
    assert "Outlet 54" in sent.x and "Outlet 00" not in sent.x         # the largest by tokens
    small = stats[stats["outlet"].isin(["Outlet 01", "Outlet 02"])]
    assert len(plots.articles_per_outlet(small).data[0].y) == 2      # few outlets: no pooling
    assert "largest" not in plots.articles_per_outlet(small).layout.title.text


def test_coverage_heatmap_caps_rows_by_hits():
    cov = pd.DataFrame([{"outlet": f"Outlet {i:02d}", "issue": issue, "hits": i + k,
                         "share_of_sentences": 0.01 * k}
                        for i in range(50) for k, issue in enumerate(["nato", "territory"])])
    fig = plots.coverage_heatmap(cov, max_rows=10)
    hm = fig.data[0]
    assert list(hm.y) == [f"Outlet {i:02d}" for i in range(40, 50)]   # the 10 with most hits
    assert "10 of 50 with the most hits" in fig.layout.title.text
    assert len(plots.coverage_heatmap(cov.head(20)).data[0].y) == 10  # 10 outlets: all shown


def test_sourcing_bars_pool_outlets_beyond_max_rows():
    rows = []
    for i in range(45):
        n = 1 + i
        named = n // 2
        rows += [{"outlet": f"Outlet {i:02d}", "dimension": "source", "value": "named",
                  "count": named, "statements": n, "share": named / n},
                 {"outlet": f"Outlet {i:02d}", "dimension": "source", "value": "unattributed",
                  "count": n - named, "statements": n, "share": (n - named) / n}]
    profile = pd.DataFrame(rows)
    fig = plots.sourcing_bars(profile, dimension="source")
    named = fig.data[0]
    assert len(named.y) == plots.MAX_OUTLET_ROWS + 1
    assert named.y[0].startswith("Other outlets (5)")                     # bottom bar
    pooled = profile[profile["outlet"] < "Outlet 05"]                      # the 5 smallest
    assert named.y[0] == f"Other outlets (5) ({pooled['statements'].sum() // 2})"
    expect = pooled.loc[pooled["value"] == "named", "count"].sum() / (pooled["statements"].sum() / 2)
    assert named.x[0] == pytest.approx(expect)
    assert sum(t.x[0] for t in fig.data) == pytest.approx(1.0)            # shares of the pool add up
    assert "40 of 45 outlets" in fig.layout.title.text
    few = plots.sourcing_bars(profile[profile["outlet"] < "Outlet 03"], dimension="source")
    assert len(few.data[0].y) == 3 and "outlets with the most" not in few.layout.title.text
