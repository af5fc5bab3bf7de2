"""analystkit.widgets: panels tested as plain objects (no browser).

Built on the hand-made corpus of tests/fake_corpus.py (documented columns), which has an
outlet "Wire <Agency>" and an article whose title holds <script> and whose quote holds <b>.
"""
from __future__ import annotations

import json
import re
from html import unescape as html_unescape

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

ALL = ("Daily Planet", "Evening Post", "Wire <Agency>")


@pytest.fixture()
def corpus():
    return make_corpus()


def _html_values(panel) -> list[str]:
    out, stack = [], [panel]
    while stack:
        w = stack.pop()
        if isinstance(w, W.W.HTML):
            out.append(w.value)
        stack.extend(getattr(w, "children", ()))
    return out


def _visible_text(html_value: str) -> str:
    return re.sub(r"<[^>]+>", "", html_value)


def _fig(panel, name) -> go.Figure:
    """The figure on display in a panel's chart (what the browser draws)."""
    chart = panel.charts[name]
    (out,) = chart.outputs
    spec = out["data"][W.PLOTLY_MIME]
    assert spec["data"] == json.loads(chart.figure.to_json())["data"]
    return chart.figure


# --------------------------------------------------------------------------- escaping helpers
@pytest.mark.parametrize("text,start,end,spans,expected", [
    ("a <b>x</b> c", 0, 12, [(2, 10, "")], "a <mark>&lt;b&gt;x&lt;/b&gt;</mark> c"),
    ("Putin said yes.", 0, 15, [(0, 5, "ak-speaker"), (6, 10, "ak-cue")],
     '<mark class="ak-speaker">Putin</mark> <mark class="ak-cue">said</mark> yes.'),
    ("0123456789", 2, 6, [(0, 4, "")], "<mark>23</mark>45"),          # clipped to the window
    ("0123456789", 0, 10, [(1, 5, ""), (3, 8, "")], "0<mark>1234</mark><mark>567</mark>89"),  # no nesting
    ("0123456789", 0, 10, [(8, 20, "x")], '01234567<mark class="x">89</mark>'),
    ("<script>alert(1)</script>", 0, 25, [], "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("abc", 0, 3, [(2, 1, "")], "abc"),                                   # empty span ignored
])
def test_snippet_html(text, start, end, spans, expected):
    assert W.snippet_html(text, start, end, spans) == expected


def test_table_html_escapes_all_but_raw_columns():
    df = pd.DataFrame({"a": ["<script>x</script>"], "b": ["<mark>ok</mark>"]})
    out = W.table_html(df, raw=["b"])
    assert "&lt;script&gt;" in out and "<script>" not in out
    assert "<td><mark>ok</mark></td>" in out
    assert "showing" not in out
    assert "showing 2 of 5 rows" in W.table_html(pd.DataFrame({"a": range(5)}), max_rows=2)


# --------------------------------------------------------------------------- aggregates
def test_article_stats_one_row_per_article(corpus):
    st = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens)
    assert list(st.article_id) == ["a1", "a2", "b1", "c1"]
    assert list(st.sentences) == [4, 3, 3, 3]
    assert st.tokens.sum() == len(corpus.tokens)
    # an article without sentences is kept with zeros
    st2 = W.article_stats(corpus.articles, corpus.sentences[corpus.sentences.article_id != "b1"],
                          corpus.tokens[corpus.tokens.article_id != "b1"])
    assert st2.set_index("article_id").loc["b1", ["sentences", "tokens"]].tolist() == [0, 0]


def test_actor_pairs_sum_to_whole_corpus_network(corpus):
    pairs = W.actor_pairs(corpus.mentions, corpus.articles)
    assert (pairs.actor_a < pairs.actor_b).all()
    pw = pairs[(pairs.actor_a == "Steve Witkoff") & (pairs.actor_b == "Vladimir Putin")]
    assert pw["count"].sum() == 2 and pw["articles"].sum() == 2
    assert set(pw.outlet) == {"Daily Planet"}


# --------------------------------------------------------------------------- source filter
def test_source_filter_all_by_default_and_settable(corpus):
    src = W.source_filter(corpus)
    assert src.value == ALL
    assert "all of 3 sources" in src.label.value
    src.value = ["Evening Post"]
    assert src.value == ("Evening Post",)
    assert "1 of 3 sources" in src.label.value
    src.all_button.click()
    assert src.value == ALL
    with pytest.raises(ValueError, match="unknown source"):
        src.value = ["Nope"]


# --------------------------------------------------------------------------- corpus panel
def test_corpus_panel_follows_the_source_filter(corpus):
    src = W.source_filter(corpus)
    panel = W.CorpusPanel(corpus, source=src)
    bars = _fig(panel, "articles")
    assert isinstance(panel.charts["articles"], W.Chart)
    assert sorted(bars.data[0].x) == [1, 1, 2]
    assert "<b>4</b> articles" in panel.status.value
    src.value = ["Daily Planet"]               # as the widget would
    assert list(_fig(panel, "articles").data[0].x) == [2]
    assert list(_fig(panel, "size").data[0].x) == ["Daily Planet"]
    assert "<b>2</b> articles" in panel.status.value and "<b>1</b> of 3" in panel.status.value
    assert "Evening Post" not in panel.articles_table.value
    assert "Articles (2)" in panel.articles_table.value


def test_corpus_panel_escapes_titles_and_problem_paths(corpus):
    panel = W.CorpusPanel(corpus)
    for value in _html_values(panel):
        assert "<script" not in value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in panel.articles_table.value
    assert "bad&lt;x&gt;.txt" in panel.problems_table.value


def test_update_returns_figures_without_widgets(corpus):
    panel = W.CorpusPanel(corpus)
    figs = panel.figures_for(["Evening Post"])
    assert set(figs) == {"articles", "size"}
    assert all(isinstance(f, go.Figure) for f in figs.values())
    assert list(_fig(panel, "articles").data[0].x) != [1]  # figures_for does not push
    out = panel.update(["Evening Post"])
    assert list(out["articles"].data[0].x) == [1]
    assert list(_fig(panel, "articles").data[0].x) == [1]


def test_empty_selection_shows_empty_titled_charts(corpus):
    src = W.source_filter(corpus)
    panel = W.CorpusPanel(corpus, source=src)
    src.value = []
    fw = _fig(panel, "articles")
    assert not fw.data and fw.layout.title.text
    assert "<b>0</b> articles" in panel.status.value


# --------------------------------------------------------------------------- actors panel
def test_actors_panel_filter_changes_bars_and_network(corpus):
    src = W.source_filter(corpus)
    panel = W.ActorsPanel(corpus, source=src)
    names = {t.name for t in _fig(panel, "mentions").data}
    assert names == {"Daily Planet", "Evening Post", "Wire &lt;Agency&gt;"}
    assert _fig(panel, "network").data  # Putin–Witkoff edge
    src.value = ["Wire <Agency>"]
    assert {t.name for t in _fig(panel, "mentions").data} == {"Wire &lt;Agency&gt;"}
    assert not _fig(panel, "network").data  # nobody shares a sentence there
    assert "No two actors" in _fig(panel, "network").layout.annotations[0].text


def test_actor_evidence_follows_picker_and_filter(corpus):
    src = W.source_filter(corpus)
    panel = W.ActorsPanel(corpus, source=src)
    panel.actor.value = "Yuri Ushakov"
    ev = _visible_text(panel.evidence.value)
    assert "Yuri Ushakov said the talks were useful." in ev
    assert "<mark>Ushakov</mark>" in panel.evidence.value
    src.value = ["Evening Post"]
    panel.actor.value = "Steve Witkoff"
    assert "great progress" in panel.evidence.value and "Moscow" not in panel.evidence.value
    assert ": 1 in the selected sources" in panel.evidence.value
    src.value = list(ALL)
    panel.select_actor("Vladimir Putin")
    assert panel.actor.value == "Vladimir Putin"
    assert ": 3 in the selected sources" in panel.evidence.value
    panel.select_actor("Nobody")              # unknown: ignored, no error
    assert panel.actor.value == "Vladimir Putin"
    # the picker lists actors by mentions in the whole corpus
    assert [v for _l, v in panel.actor.options][:2] == ["Steve Witkoff", "Vladimir Putin"]


# --------------------------------------------------------------------------- statements panel
def test_statements_panel_filters_by_source_and_speaker(corpus):
    src = W.source_filter(corpus)
    panel = W.StatementsPanel(corpus, source=src)
    n_points = sum(len(t.x) for t in _fig(panel, "speaker").data)
    assert n_points == 5
    assert "Statements (5; all speakers)" in panel.table.value
    panel.speaker.value = "Yuri Ushakov"
    assert sum(len(t.x) for t in _fig(panel, "speaker").data) == 2
    assert "Statements (2; Yuri Ushakov)" in panel.table.value
    src.value = ["Evening Post"]
    assert sum(len(t.x) for t in _fig(panel, "speaker").data) == 0
    panel.speaker.value = W.ALL_SPEAKERS
    assert {t.name for t in _fig(panel, "outlet").data} == {"Evening Post"}
    assert "sanctions must stay" in panel.table.value


def test_statement_picker_opens_its_sentence_escaped(corpus):
    src = W.source_filter(corpus)
    panel = W.StatementsPanel(corpus, source=src)
    values = [v for _l, v in panel.pick.options if v]
    assert values == [(a, s) for a, s in zip(corpus.statements.article_id, corpus.statements.statement_id)]
    panel.pick.value = ("c1", 0)
    val = panel.opened.value
    assert "<mark>the &lt;b&gt;ceasefire&lt;/b&gt; was fragile</mark>" in val
    assert '<mark class="ak-cue">said</mark>' in val
    assert "<b>ceasefire" not in val
    panel.open_statement("a1", 0)
    assert '<mark class="ak-speaker">Ushakov</mark>' in panel.opened.value
    assert "not found" in panel.statement_html("zz", 9)
    src.value = ["Evening Post"]                   # the picker follows the filter
    assert [v for _l, v in panel.pick.options if v] == [("b1", 0), ("b1", 1)]
    assert all("<b>" not in label for label, _v in panel.pick.options)


def test_statements_panel_needs_scores(corpus):
    corpus.statements = corpus.statements.drop(columns=["compound"])
    with pytest.raises(ValueError, match="score_sentiment"):
        W.StatementsPanel(corpus)


# --------------------------------------------------------------------------- issues panel
def test_issues_panel_measure_filter_and_cell_evidence(corpus, monkeypatch):
    src = W.source_filter(corpus)
    panel = W.IssuesPanel(corpus, source=src) if _has_issues() else _issues_panel_without_keyness(corpus, src, monkeypatch)
    hm = _fig(panel, "heatmap")
    assert len(hm.data[0].y) == 3
    panel.measure.value = "hits"
    hm = _fig(panel, "heatmap")
    assert "hits" in hm.layout.title.text
    assert max(max(r) for r in hm.data[0].z) == 2
    src.value = ["Evening Post", "Wire <Agency>"]
    assert len(_fig(panel, "heatmap").data[0].y) == 2
    assert panel.cell_outlet.options == (W.ALL_SELECTED, "Evening Post", "Wire <Agency>")
    # pick the cell (Wire <Agency>, ceasefire): evidence shows the escaped sentence
    panel.select_cell("Wire <Agency>", "ceasefire")
    assert panel.issue.value == "ceasefire" and panel.cell_outlet.value == "Wire <Agency>"
    assert "the &lt;b&gt;<mark>ceasefire</mark>&lt;/b&gt; was fragile" in panel.evidence.value
    panel.select_cell("Evening Post", "territory")
    assert "great progress on <mark>territory</mark>" in panel.evidence.value
    assert "Moscow" not in panel.evidence.value


def _has_issues():
    try:
        import analystkit.issues  # noqa: F401
        return True
    except ImportError:
        return False


def _issues_panel_without_keyness(corpus, src, monkeypatch):
    monkeypatch.setattr(W.IssuesPanel, "_keyness_figure",
                        lambda self, o: plots.empty_figure("Distinctive terms"))
    return W.IssuesPanel(corpus, source=src)


@pytest.mark.skipif(not _has_issues(), reason="analystkit.issues (kwic/keyness) not present yet")
def test_issues_panel_kwic_and_keyness(corpus):
    src = W.source_filter(corpus)
    panel = W.IssuesPanel(corpus, source=src)
    rows = panel.search("territor*")
    assert len(rows) == 3
    assert "3 lines" in panel.kwic_out.value
    src.value = ["Evening Post"]
    panel.kwic_box.value = "territory"           # Enter in the box
    assert ": 1 line<" in panel.kwic_out.value
    panel.search("(")                            # a bad pattern is reported, not raised
    assert "KWIC error" in panel.kwic_out.value
    panel.key_outlet.value = "Evening Post"
    fig = _fig(panel, "keyness")
    assert "Evening Post" in fig.layout.title.text
    terms = [v for _l, v in panel.key_term.options if v]
    assert terms and terms[0] == html_unescape(fig.data[0].y[-1])   # most distinctive first
    panel.key_term.value = terms[0]
    assert "in Evening Post:" in panel.key_kwic.value
    assert "<td>b1</td>" in panel.key_kwic.value and "<td>a1</td>" not in panel.key_kwic.value
    panel.key_term.value = None
    assert panel.key_kwic.value == ""


# --------------------------------------------------------------------------- dashboard
def test_dashboard_shares_one_filter(corpus):
    app = W.dashboard(corpus, sections=("corpus", "actors", "statements"))
    before = {n: p.status.value for n, p in app.panels.items()}
    app.source.value = ["Evening Post"]
    for name, panel in app.panels.items():
        assert panel.status.value != before[name], name
        assert panel.source is app.source
    # same outlet, same colour in every panel
    c = plots.outlet_colors(corpus.articles.outlet)["Evening Post"]
    assert _fig(app.panels["corpus"], "articles").data[0].marker.color[0] == c
    assert "Dashboard" in repr(app) and "SourceFilter" in repr(app.source)
    assert _fig(app.panels["statements"], "outlet").data[0].marker.color == c


def test_panels_do_not_mutate_corpus_frames(corpus):
    before = {n: getattr(corpus, n).copy() for n in ("articles", "mentions", "statements", "coverage")}
    src = W.source_filter(corpus)
    W.ActorsPanel(corpus, source=src)
    W.StatementsPanel(corpus, source=src)
    src.value = ["Daily Planet"]
    for n, df in before.items():
        pd.testing.assert_frame_equal(getattr(corpus, n), df)


def test_outlet_summary(corpus):
    st = W.article_stats(corpus.articles, corpus.sentences, corpus.tokens)
    summ = W.outlet_summary(st)
    assert list(summ.outlet) == list(ALL)
    assert summ.set_index("outlet").loc["Daily Planet", ["articles", "sentences"]].tolist() == [2, 7]
    assert summ["tokens"].sum() == len(corpus.tokens)


def test_chart_bundle_is_offline_plotly_json(corpus):
    fig = plots.articles_per_outlet(corpus.articles)
    chart = W.Chart(fig)
    (out,) = chart.outputs
    assert set(out["data"]) == {W.PLOTLY_MIME, "text/plain"}
    spec = out["data"][W.PLOTLY_MIME]
    assert set(spec) == {"data", "layout", "config"}
    text = json.dumps(spec)
    assert "cdn." not in text and "<script" not in text and "plotly.min.js" not in text
    chart.show(plots.articles_per_outlet(corpus.articles.iloc[:1]))
    assert len(chart.outputs) == 1 and chart.figure.data[0].x.tolist() == [1]


def test_actors_panel_kinds(corpus):
    panel = W.ActorsPanel(corpus, kinds=["org"])
    assert [v for _l, v in panel.actor.options] == ["Kremlin"]
    assert {y for t in _fig(panel, "mentions").data for y in t.y} == {"Kremlin"}


def test_panels_survive_an_empty_story(corpus):
    """One outlet, no mentions, no statements, no issue hits: titled empty charts, no error."""
    one = corpus.filter(outlet="Evening Post")
    one.mentions = one.mentions.iloc[0:0]
    one.statements = one.statements.iloc[0:0]
    one.issue_hits = one.issue_hits.iloc[0:0]
    one.coverage = one.coverage.assign(hits=0, articles=0, sentences=0, share_of_sentences=0.0,
                                       per_1k_tokens=0.0)
    src = W.source_filter(one)
    actors = W.ActorsPanel(one, source=src)
    assert "No actor found" in actors.evidence.value
    assert not _fig(actors, "mentions").data and not _fig(actors, "network").data
    st = W.StatementsPanel(one, source=src)
    assert "Statements (0; all speakers)" in st.table.value
    issues = W.IssuesPanel(one, source=src)
    assert "Pick an outlet" in _fig(issues, "keyness").layout.annotations[0].text
    issues.key_outlet.value = "Evening Post"
    assert "at least two outlets" in _fig(issues, "keyness").layout.annotations[0].text
    src.value = []
    for p in (actors, st, issues):
        assert "<b>0</b> articles" in p.status.value


# --------------------------------------------------------------------------- the real pipeline
REPO = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def real_corpus():
    import analystkit as ak
    texts = [
        "Kremlin rejects plan\n\nMOSCOW — Yuri Ushakov said the talks with Steve Witkoff were "
        "useful but territory remains unresolved.\n\n\"We are far apart,\" Ushakov said.",
        "Evil <script>alert('x')</script> headline\n\nVladimir Putin said the <b>ceasefire</b> "
        "was possible, and Witkoff said sanctions would stay.",
        "Europe sidelined\n\nVolodymyr Zelensky warned that any deal on territory must involve "
        "Kyiv, a senior official said.",
    ]
    df = pd.DataFrame({"text": texts, "outlet": ["Daily Planet", "Wire <Agency>", "Evening Post"]})
    return ak.load_corpus(df)


def test_dashboard_on_the_real_pipeline(real_corpus):
    app = W.dashboard(real_corpus)
    outlets = app.source.outlets
    assert len(outlets) == 3
    before = {n: {k: f.to_json() for k, f in p.figures.items()} for n, p in app.panels.items()}
    app.source.value = [outlets[0]]
    for name, panel in app.panels.items():
        assert "<b>1</b> of 3" in panel.status.value, name
        changed = [k for k, f in panel.figures.items() if f.to_json() != before[name][k]]
        assert changed, name
    for panel in app.panels.values():
        for value in _html_values(panel):
            assert "<script" not in value and "<b>ceasefire" not in value
    app.source.select_all()
    assert "&lt;script&gt;" in app.panels["corpus"].articles_table.value


def test_seeds_corpus_panels_follow_the_filter():
    import analystkit as ak
    corpus = ak.load_corpus(REPO / "seeds")
    src = W.source_filter(corpus)
    panels = [W.CorpusPanel(corpus, source=src), W.ActorsPanel(corpus, source=src),
              W.StatementsPanel(corpus, source=src), W.IssuesPanel(corpus, source=src)]
    first = [p.figures[next(iter(p.figures))].to_json() for p in panels]
    src.value = [src.outlets[0]]
    after = [p.figures[next(iter(p.figures))].to_json() for p in panels]
    assert all(a != b for a, b in zip(first, after))


def test_figure_bundle_spec_is_plotlys_json_without_the_deep_copy():
    """figure_bundle builds the spec in one pass; it must equal to_plotly_json (typed arrays
    for numeric arrays, NaN as null elsewhere) passed through _plain, and leave the figure intact."""
    import json

    import numpy as np
    import plotly.graph_objects as go

    from analystkit import widgets as Wd

    fig = go.Figure([go.Scatter(x=np.arange(5), y=np.array([0.5, np.nan, 2.0, 3.0, 4.0]),
                                customdata=[["a", 1], ["b", 2], ["c", 3], ["d", 4], ["e", 5]],
                                text=np.array(["x", "y", "z", "u", "v"], dtype=object)),
                     go.Box(y=[1.0, 2.0, float("nan")], name="<b>b</b>"),
                     go.Heatmap(z=np.eye(3), x=["p", "q", "r"])],
                    layout=dict(title=dict(text="t"), shapes=[dict(type="line", x0=0, x1=1)]))
    before = fig.to_json()
    old = Wd._plain(fig.to_plotly_json())
    new = Wd._figure_json(fig)
    assert json.dumps(new, sort_keys=True) == json.dumps(old, sort_keys=True)
    assert fig.to_json() == before
