"""Tests for analystkit.compare (issue 8): statement alignment, variants, sourcing profiles,
omissions, syndication. Fixtures: tests/fixtures/compare/ (statements.csv: hand-written statements
in several variants with a gold group; articles/: six articles from six outlets with wire copy)."""
from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import analystkit as ak
from analystkit.compare import (
    align_statements,
    find_syndication,
    near_duplicates,
    omissions,
    sourcing_profile,
    statement_groups,
    statement_variants,
)

FIX = Path(__file__).parent / "fixtures" / "compare"


@pytest.fixture(scope="module")
def statements():
    return pd.read_csv(FIX / "statements.csv")


@pytest.fixture(scope="module")
def aligned(statements):
    return align_statements(statements)


@pytest.fixture(scope="module")
def corpus():
    return ak.load_corpus(FIX / "articles")


def _stmt(rows):
    """Statements frame (design.md columns) from (article_id, speaker, text[, extra]) tuples."""
    recs = []
    for k, row in enumerate(rows):
        aid, speaker, text, *extra = row
        rec = dict(article_id=aid, statement_id=k, sentence_id=0, start=0, end=len(text),
                   kind="direct", cue="said", cue_start=0, cue_end=0, text=text, speaker=speaker,
                   speaker_start=0, speaker_end=0, speaker_kind="person", affiliation="Russia",
                   is_official=True, attribution="explicit")
        if extra:
            rec.update(extra[0])
        recs.append(rec)
    return pd.DataFrame(recs)


def _same_group(frame, i, j):
    return frame.loc[i, "group_id"] == frame.loc[j, "group_id"]


# --------------------------------------------------------------------------- align_statements

def test_align_keeps_rows_columns_and_does_not_mutate(statements):
    before = statements.copy()
    out = align_statements(statements)
    pd.testing.assert_frame_equal(statements, before)
    assert len(out) == len(statements)
    assert list(out.columns[: len(statements.columns)]) == list(statements.columns)
    for col in ("group_id", "group_size", "similarity", "is_representative"):
        assert col in out.columns
    pd.testing.assert_frame_equal(out[statements.columns], statements)
    assert out["similarity"].between(0, 1).all()


def test_align_one_representative_per_group_and_one_statement_per_article(aligned):
    reps = aligned.groupby("group_id")["is_representative"].sum()
    assert (reps == 1).all()
    assert (aligned.loc[aligned["is_representative"], "similarity"] == 1.0).all()
    assert not aligned.duplicated(["group_id", "article_id"]).any()
    sizes = aligned.groupby("group_id").size()
    assert (aligned["group_size"] == aligned["group_id"].map(sizes)).all()
    # numbered largest first
    assert list(sizes.values) == sorted(sizes.values, reverse=True)


def test_align_fixture_precision_and_recall(aligned):
    """Pairwise against the hand-made gold: never a false pair; at least 85 % of true pairs."""
    tp = fp = fn = 0
    for i, j in itertools.combinations(aligned.index, 2):
        gold = aligned.at[i, "gold"] == aligned.at[j, "gold"]
        got = aligned.at[i, "group_id"] == aligned.at[j, "group_id"]
        tp += gold and got
        fp += got and not gold
        fn += gold and not got
    assert fp == 0, "statements of different gold groups were grouped"
    assert tp / (tp + fn) >= 0.85, (tp, fn)


@pytest.mark.parametrize("gold", ["ushakov_further", "ushakov_compromise", "ushakov_useful",
                                  "zelensky_backstab", "rubio_work", "sources_acceptable"])
def test_align_fixture_groups_found_whole(aligned, gold):
    assert aligned.loc[aligned["gold"] == gold, "group_id"].nunique() == 1


@pytest.mark.parametrize("a,b", [
    ("Not further, that's for sure", "No further, that's for sure"),
    ("Not further, that's for sure", "Not farther apart, that's for sure"),
    ("No further, that's for sure", "Not farther apart, that's for sure"),
    ("We have not yet found a compromise on the territorial issue",
     "no compromise had yet been found on the territorial issue"),
    ("We have not yet found a compromise on the territorial issue",
     "We have not yet found a compromise on the territorial issue, but some American proposals "
     "are acceptable"),  # truncation
    ("There is still a lot of work to be done", "there was still much work to be done"),
    ("The conversation was very useful, constructive and substantive",
     "the conversation had been useful, constructive and substantive"),
    ("We are not planning to fight Europe, but if Europe suddenly wants to fight and starts, "
     "we are ready right now",
     "Russia was not planning to fight Europe but was ready right now if Europe wanted a war and "
     "started it"),  # direct quote vs paraphrase
    ("\u201cThere will be no backstabbing of Ukraine\u201d", "there would be no backstabbing of Ukraine"),
    ("Putin asked Witkoff to pass political signals to Trump",
     "Putin asked Witkoff to pass on some political messages to Trump"),
    ("afterwards that \u00ab no compromise has yet been found \u00bb on the territorial question",
     "no compromise has yet been found on the territorial question"),  # adverb + guillemets
    ("So far, we have not found a compromise option, but some American proposals can be "
     "discussed,\" Ushakov said. \"Some of them are acceptable.",
     "So far, we have not found a compromise option, but some American proposals can be "
     "discussed. Some of them are acceptable"),  # attribution inside a broken quote
])
def test_align_groups_variants_of_one_utterance(a, b):
    out = align_statements(_stmt([("x1", "Yuri Ushakov", a), ("x2", "Yuri Ushakov", b)]))
    assert _same_group(out, 0, 1), out[["text", "group_id", "similarity"]]


@pytest.mark.parametrize("a,b", [
    ("The talks were useful", "The talks were not useful"),
    ("The talks were constructive", "The talks were destructive"),
    ("We are ready for talks", "We are ready for war"),
    ("It was very useful", "It was very important"),
    ("Putin is ready", "Putin is ready for war and also to negotiate on many things"),
    ("We will never recognize the occupation of Crimea", "We will never give up Crimea"),
    ("Ukraine will never join NATO", "Ukraine will never give up Donbas"),
    ("We discussed the territorial issue", "We discussed the NATO issue"),
    ("The meeting was useful", "The meeting was long"),
    ("Witkoff will return to Moscow next week", "Witkoff will travel to Kyiv next week"),
    ("The Ukrainian army must be limited to 600,000 troops",
     "The Ukrainian army must be limited to 800,000 troops"),
    ("the 28-point plan was discussed in detail", "the 20-point plan was discussed in detail"),
    ("The conversation was very useful, constructive and substantive",
     "the conversation lasted almost five hours"),
    ("Not further, that's for sure", "We are not closer, that's for sure"),
])
def test_align_never_groups_different_statements_of_one_speaker(a, b):
    out = align_statements(_stmt([("x1", "Yuri Ushakov", a), ("x2", "Yuri Ushakov", b)]))
    assert not _same_group(out, 0, 1), out[["text", "group_id", "similarity"]]


def test_align_blocks_by_speaker_but_tolerates_spelling():
    text = "There will be no backstabbing of Ukraine through secret deals"
    out = align_statements(_stmt([
        ("x1", "Volodymyr Zelensky", text), ("x2", "Volodymyr Zelenskyy", text),
        ("x3", "Zelenskiy", text)]))
    assert out["group_id"].nunique() == 1
    # a different person with the same short text is not the same utterance
    short = "We are ready"
    out = align_statements(_stmt([("x1", "Vladimir Putin", short), ("x2", "Marco Rubio", short)]))
    assert not _same_group(out, 0, 1)


def test_align_joins_different_attribution_of_the_same_words_but_not_across_sides():
    text = "We have not yet found a compromise on the territorial issue"
    out = align_statements(_stmt([
        ("x1", "Yuri Ushakov", text),
        ("x2", "Kremlin", text, {"speaker_kind": "org"}),
        ("x3", "unattributed", text, {"speaker_kind": "anonymous", "attribution": "unattributed"}),
        ("x4", "Andriy Yermak", text, {"affiliation": "Ukraine"}),
    ]))
    assert _same_group(out, 0, 1) and _same_group(out, 0, 2)
    assert not _same_group(out, 0, 3)


def test_align_never_puts_two_statements_of_one_article_in_a_group():
    text = "Not further, that's for sure"
    out = align_statements(_stmt([("x1", "Yuri Ushakov", text), ("x1", "Yuri Ushakov", text),
                                  ("x2", "Yuri Ushakov", text)]))
    assert not out.duplicated(["group_id", "article_id"]).any()
    assert out["group_id"].nunique() == 2


def test_align_prefers_a_direct_quote_as_representative():
    out = align_statements(_stmt([
        ("x1", "Yuri Ushakov", "no compromise had yet been found on the territorial issue",
         {"kind": "indirect"}),
        ("x2", "Yuri Ushakov", "We have not yet found a compromise on the territorial issue")]))
    assert out.loc[out["is_representative"], "article_id"].tolist() == ["x2"]


def test_align_no_chaining_through_a_merged_quote():
    """A version that strings two utterances together must not pull them into one group."""
    out = align_statements(_stmt([
        ("x1", "Yuri Ushakov", "The conversation was very useful, constructive and substantive"),
        ("x2", "Yuri Ushakov", "We have not yet found a compromise on the territorial issue"),
        ("x3", "Yuri Ushakov", "The conversation was very useful, constructive and substantive, "
                               "but we have not yet found a compromise on the territorial issue"),
    ]))
    assert not _same_group(out, 0, 1)


def test_align_empty_and_bad_input():
    empty = _stmt([]).reindex(columns=_stmt([("a", "b", "c")]).columns)
    out = align_statements(empty)
    assert len(out) == 0 and "group_id" in out.columns
    with pytest.raises(ValueError, match="speaker"):
        align_statements(pd.DataFrame({"article_id": ["a"], "statement_id": [0], "text": ["x"]}))
    with pytest.raises(ValueError, match="threshold"):
        align_statements(_stmt([("a", "b", "c")]), threshold=0)


def test_align_handles_missing_text_and_speaker():
    frame = _stmt([("x1", "Yuri Ushakov", "Not further, that's for sure"),
                   ("x2", "Yuri Ushakov", "No further, that's for sure")])
    frame.loc[2] = frame.loc[1]
    frame.loc[2, ["article_id", "text", "speaker"]] = ["x3", None, None]
    out = align_statements(frame)
    assert len(out) == 3 and out.loc[2, "group_size"] == 1


words = st.sampled_from(["we", "they", "talks", "useful", "not", "no", "further", "apart", "sure", "Europe", "ready", "war", "territory", "compromise", "found", "plan"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a1", "a2", "a3", "a4"]),
                          st.sampled_from(["Yuri Ushakov", "Kremlin", "unattributed"]),
                          st.lists(words, min_size=1, max_size=8).map(" ".join)),
                min_size=1, max_size=12))
def test_align_partition_properties(rows):
    out = align_statements(_stmt(rows))
    assert len(out) == len(rows)
    assert not out.duplicated(["group_id", "article_id"]).any()
    assert (out.groupby("group_id")["is_representative"].sum() == 1).all()
    assert out["similarity"].between(0, 1).all()


# --------------------------------------------------------------------------- variants

def test_variants_side_by_side_with_differences(aligned):
    gid = aligned.loc[aligned["gold"] == "ushakov_further", "group_id"].iloc[0]
    v = statement_variants(aligned, gid)
    assert len(v) == 3 and v.loc[0, "is_representative"]
    rep_text = v.loc[0, "text"]
    assert rep_text == "Not further, that's for sure"
    no = v[v["text"].str.startswith("No further")].iloc[0]
    assert "[-Not-]" in no["diff"] and "{+No+}" in no["diff"]
    assert no["removed"] == ["Not"] and no["added"] == ["No"]
    apart = v[v["text"].str.contains("farther")].iloc[0]
    assert apart["cue_differs"] and not no["cue_differs"]  # "stressed" vs "said"
    assert "<ins>farther apart</ins>" in apart["diff_html"] or "farther" in apart["diff_html"]


def test_variants_truncation_attribution_and_kind(aligned):
    gid = aligned.loc[aligned["gold"] == "ushakov_compromise", "group_id"].iloc[0]
    v = statement_variants(aligned, gid).set_index("article_id")
    assert v.loc["a3", "extended"] and not v.loc["a3", "truncated"]
    assert v.loc["a5", "speaker_differs"]          # "Kremlin" vs "Yuri Ushakov"
    assert v.loc["a2", "kind_differs"]             # indirect vs direct
    assert v.loc["a3", "cue_differs"]              # "claimed"
    rev = statement_variants(aligned.assign(is_representative=aligned.index == 5), gid)
    assert rev.set_index("article_id").loc["a1", "truncated"]


def test_variants_escape_html_and_pick_by_speaker():
    out = align_statements(_stmt([("x1", "Marco Rubio", "<b>work</b> is still to be done now"),
                                  ("x2", "Marco Rubio", "<b>work</b> is still to be done")]))
    v = statement_variants(out, speaker="rubio", articles=pd.DataFrame(
        {"article_id": ["x1", "x2"], "outlet": ["A & B", "C"]}))
    assert len(v) == 2 and "<b>" not in "".join(v["diff_html"]) and "&lt;b&gt;" in v.loc[0, "diff_html"]
    assert set(v["outlet"]) == {"A & B", "C"}
    with pytest.raises(ValueError, match="no statement group"):
        statement_variants(out, 99)
    with pytest.raises(ValueError, match="speaker"):
        statement_variants(out, speaker="nobody")


def test_statement_groups_traces_representative(aligned):
    g = statement_groups(aligned, min_size=2)
    assert (g["size"] >= 2).all()
    assert {"group_id", "size", "speaker", "text", "article_id", "sentence_id"} <= set(g.columns)
    traced = statement_groups(align_statements(_stmt([("x1", "Yuri Ushakov", "Not further, that's for sure")])))
    assert {"start", "end"} <= set(traced.columns)
    top = g.iloc[0]
    rep = aligned[(aligned["group_id"] == top["group_id"]) & aligned["is_representative"]].iloc[0]
    assert (top["article_id"], top["text"]) == (rep["article_id"], rep["text"])


# --------------------------------------------------------------------------- sourcing profile

def test_sourcing_profile_counts_and_shares():
    stm = _stmt([
        ("x1", "Yuri Ushakov", "a", {"affiliation": "Russia"}),
        ("x1", "unattributed", "b", {"speaker_kind": "anonymous", "attribution": "unattributed",
                                     "is_official": False, "affiliation": None, "kind": "indirect"}),
        ("x2", "Marco Rubio", "c", {"affiliation": "United States"}),
        ("x2", "Kaja Kallas", "d", {"affiliation": "EU", "kind": "indirect"}),
        ("x2", "Volodymyr Zelensky", "e", {"affiliation": "Ukraine"}),
        ("x2", "Recep Erdogan", "f", {"affiliation": "Turkey", "is_official": False}),
    ])
    arts = pd.DataFrame({"article_id": ["x1", "x2", "x3"], "outlet": ["A", "B", "C"]})
    prof = sourcing_profile(stm, arts)
    assert list(prof.columns) == ["outlet", "dimension", "value", "count", "statements", "share"]
    get = prof.set_index(["outlet", "dimension", "value"]).sort_index()
    assert get.loc[("A", "source", "unattributed"), "count"] == 1
    assert get.loc[("A", "source", "named"), "share"] == 0.5
    assert get.loc[("A", "affiliation", "unknown"), "count"] == 1
    assert get.loc[("B", "affiliation", "US"), "count"] == 1
    assert get.loc[("B", "affiliation", "Europe"), "count"] == 1
    assert get.loc[("B", "affiliation", "other"), "count"] == 1
    assert get.loc[("B", "kind", "indirect"), "share"] == 0.25
    assert get.loc[("B", "official", "other"), "count"] == 1
    # an outlet without statements is there, with zeros
    assert (get.loc["C", "count"] == 0).all() and (get.loc["C", "share"] == 0).all()
    shares = prof[prof["statements"] > 0].groupby(["outlet", "dimension"])["share"].sum()
    assert (shares.round(9) == 1).all()


def test_sourcing_profile_rejects_unknown_articles():
    with pytest.raises(ValueError, match="not in articles"):
        sourcing_profile(_stmt([("zz", "X", "y")]), pd.DataFrame({"article_id": ["a"], "outlet": ["A"]}))


# --------------------------------------------------------------------------- omissions

def _omission_corpus():
    arts = pd.DataFrame({"article_id": ["a1", "a2", "b1", "c1", "d1"],
                         "outlet": ["A", "A", "B", "C", "D"]})
    mentions = pd.DataFrame({
        "article_id": ["a1", "b1", "c1", "d1", "b1", "c1", "d1", "b1"],
        "sentence_id": [0, 1, 2, 3, 0, 0, 0, 4], "start": range(8), "end": range(1, 9),
        "actor": ["Vladimir Putin", "Vladimir Putin", "Vladimir Putin", "Vladimir Putin",
                  "Yuri Ushakov", "Yuri Ushakov", "Yuri Ushakov", "Kaja Kallas"]})
    hits = pd.DataFrame({"article_id": ["b1", "c1", "a2"], "sentence_id": [0, 0, 0],
                         "issue": ["territory", "territory", "sanctions"], "term": ["x"] * 3,
                         "start": [0, 0, 0], "end": [1, 1, 1]})
    stm = _stmt([("b1", "Yuri Ushakov", "Not further, that's for sure"),
                 ("c1", "Yuri Ushakov", "No further, that's for sure"),
                 ("d1", "Yuri Ushakov", "Not farther apart, that's for sure"),
                 ("a1", "Vladimir Putin", "We are ready right now")])
    return SimpleNamespace(articles=arts, mentions=mentions, issue_hits=hits, statements=stm)


def test_omissions_ranked_with_outlet_counts():
    om = omissions(_omission_corpus(), outlet="A")
    rows = {(r.kind, r.item): r for r in om.itertuples()}
    assert ("actor", "Vladimir Putin") not in rows          # A carries Putin
    ush = rows[("actor", "Yuri Ushakov")]
    assert ush.outlets == 3 and ush.share_of_outlets == 1.0 and ush.carried_by == ["B", "C", "D"]
    assert (ush.article_id, ush.sentence_id) == ("b1", 0)   # traces to a sentence
    assert rows[("issue", "territory")].outlets == 2
    st_rows = om[om["kind"] == "statement"]
    assert len(st_rows) == 1 and st_rows.iloc[0]["outlets"] == 3
    assert "further" in st_rows.iloc[0]["item"]
    assert ("actor", "Kaja Kallas") not in rows             # 1 of 3 other outlets < min_share
    assert om["share_of_outlets"].is_monotonic_decreasing
    assert ("actor", "Kaja Kallas") in {(r.kind, r.item) for r in
                                        omissions(_omission_corpus(), outlet="A",
                                                  min_share=0.3).itertuples()}


def test_omissions_unknown_outlet():
    with pytest.raises(ValueError, match="unknown outlet 'Z'"):
        omissions(_omission_corpus(), outlet="Z")


# --------------------------------------------------------------------------- syndication

def test_find_syndication_flags_wire_copies(corpus):
    syn = find_syndication(corpus)
    assert list(syn.columns) == ["article_id", "paragraph_id", "start", "end", "group_id",
                                 "is_copy", "original_article_id", "similarity"]
    by = syn.set_index(["article_id", "paragraph_id"])
    # the wire's lead paragraph: original at the wire (earliest), copied verbatim by two
    # outlets and re-edited ("nearly five hours", "Ukraine's territory") by a third
    lead = by.loc[("w1", 1)]
    assert not lead["is_copy"] and lead["original_article_id"] == "w1"
    group = syn[syn["group_id"] == lead["group_id"]].set_index("article_id")
    assert set(group.index) == {"w1", "c1", "t1", "h1"}
    assert group.loc[["c1", "t1", "h1"], "is_copy"].all()
    assert group.loc["c1", "similarity"] == 1.0 and 0.9 <= group.loc["h1", "similarity"] < 1
    # shared by Daily Courier and the undated Capital Times: the dated article is the original
    zel = syn[(syn["article_id"] == "c1") & (syn["paragraph_id"] == 3)].iloc[0]
    assert not zel["is_copy"] and zel["original_article_id"] == "c1"
    # every group spans at least two articles; nothing from unrelated articles
    assert (syn.groupby("group_id")["article_id"].nunique() >= 2).all()
    assert not set(syn["article_id"]) & {"k1", "e1"}
    # offsets trace back into the article text
    text = corpus.articles.set_index("article_id")["text"]
    paras = corpus.paragraphs.set_index(["article_id", "paragraph_id"])
    for r in syn.itertuples():
        assert text[r.article_id][r.start:r.end] == paras.loc[(r.article_id, r.paragraph_id), "text"]


def test_find_syndication_threshold_and_short_paragraphs(corpus):
    strict = find_syndication(corpus, threshold=0.99)
    assert "h1" not in set(strict["article_id"])
    assert "w1" in set(strict["article_id"])


def test_find_syndication_no_shared_text():
    frame = pd.DataFrame({"article_id": ["a", "b"], "text": ["x"] * 2})
    paragraphs = pd.DataFrame({"article_id": ["a", "b"], "paragraph_id": [0, 0], "kind": ["body"] * 2,
                               "start": [0, 0], "end": [90, 90],
                               "text": ["The talks in Moscow ended without a deal on territory, "
                                        "officials said on Tuesday evening.",
                                        "Ukraine's president promised there would be no secret "
                                        "deals behind the country's back."]})
    syn = find_syndication(SimpleNamespace(articles=frame, paragraphs=paragraphs))
    assert syn.empty and list(syn.columns)[-1] == "similarity"


def test_near_duplicates_finds_republished_article(corpus):
    nd = near_duplicates(corpus)
    pairs = {tuple(sorted((r.article_id_a, r.article_id_b))) for r in nd.itertuples()}
    assert ("c1", "t1") in pairs
    row = nd[(nd["article_id_a"] == "c1") & (nd["article_id_b"] == "t1")].iloc[0]
    assert row["original_article_id"] == "c1" and row["containment"] >= 0.9
    assert ("k1", "w1") not in pairs and ("e1", "w1") not in pairs


def test_align_large_block_index_agrees_with_cdist(statements):
    """Blocks above max_block use a rare-content-word index instead of cdist: same groups here."""
    a = align_statements(statements)
    b = align_statements(statements, max_block=1)
    assert (a["group_id"] == b["group_id"]).all()


def test_align_on_loaded_corpus_groups_wire_quotes_across_outlets(corpus):
    al = align_statements(corpus.statements)
    outlet = dict(zip(corpus.articles["article_id"], corpus.articles["outlet"]))
    multi = al[al["group_size"] > 1]
    assert len(multi) > 0
    # the broken wire quote '"We have not yet found ...," Ushakov told reporters. "Some ..."'
    # and Eastern Herald's reported-speech rendering of it are one group
    wire = al[(al["article_id"] == "w1") & al["text"].str.contains("not yet found", regex=False)]
    gid = wire["group_id"].iloc[0]
    members = set(al.loc[al["group_id"] == gid, "article_id"].map(outlet))
    assert {"Global Wire", "Daily Courier", "Capital Times", "Eastern Herald"} <= members
    further = al[al["text"].str.contains("further, that's for sure", regex=False)]
    assert further["group_id"].nunique() == 1 and len(further) == 2


@pytest.mark.parametrize("a,b", [
    ("The talks in Moscow on Tuesday were constructive, the aide told reporters after the meeting",
     "The talks in Moscow on Tuesday were destructive, the aide told reporters after the meeting"),
    ("the American proposals were partly acceptable to Moscow",
     "the American proposals were partly unacceptable to Moscow"),
])
def test_align_prefixed_antonyms_in_long_sentences_are_different_statements(a, b):
    out = align_statements(_stmt([("x1", "Yuri Ushakov", a), ("x2", "Yuri Ushakov", b)]))
    assert not _same_group(out, 0, 1)


def test_coverage_dedupe_counts_wire_copy_once(corpus):
    """issues.coverage(dedupe=True) drops hits in is_copy paragraphs (the contract it relies on)."""
    full = ak.coverage(corpus).set_index(["outlet", "issue"])["hits"]
    once = ak.coverage(corpus, dedupe=True).set_index(["outlet", "issue"])["hits"]
    assert once.sum() < full.sum()
    assert (once.loc["Global Wire"] == full.loc["Global Wire"]).all()      # the original
    assert once.loc["Capital Times"].sum() < full.loc["Capital Times"].sum()  # pure copy


def test_sourcing_profile_on_loaded_corpus(corpus):
    prof = sourcing_profile(corpus.statements, corpus.articles)
    assert set(prof["outlet"]) == set(corpus.articles["outlet"])
    n = corpus.statements.merge(corpus.articles[["article_id", "outlet"]]).groupby("outlet").size()
    per = prof.drop_duplicates("outlet").set_index("outlet")["statements"]
    assert (per.loc[n.index] == n).all()
    aff = prof[prof["dimension"] == "affiliation"].groupby("value")["count"].sum()
    assert aff["Russia"] > 0 and aff["Ukraine"] > 0 and aff["US"] > 0 and aff["Europe"] > 0


@pytest.fixture(scope="module")
def heldout(tmp_path_factory):
    """The held-out articles (32 outlets' styles) without their gold files."""
    src = Path(__file__).parent / "fixtures" / "heldout"
    dst = tmp_path_factory.mktemp("heldout")
    for f in list(src.glob("*.txt")) + list(src.glob("*.md")):
        (dst / f.name).write_bytes(f.read_bytes())
    return ak.load_corpus(dst, progress=False)


def test_heldout_syndicated_paragraphs_are_flagged(heldout):
    """a14 (a regional site) reuses two paragraphs of a01 (Reuters-style) word for word."""
    syn = find_syndication(heldout)
    assert set(syn["article_id"]) == {"a01_reuters_kremlin_no_compromise",
                                      "a14_regional_wire_rewrite"}
    copies = syn[syn["is_copy"]]
    assert len(copies) == 2 and set(copies["article_id"]) == {"a14_regional_wire_rewrite"}
    assert set(copies["original_article_id"]) == {"a01_reuters_kremlin_no_compromise"}


def test_heldout_same_quote_grouped_across_outlets(heldout):
    al = align_statements(heldout.statements)
    ready = al[al["text"].str.contains("ready right now", regex=False, na=False)
               & al["speaker"].eq("Vladimir Putin").fillna(False).astype(bool)]
    # Reuters-, Guardian-, tabloid- and wire-style renderings of one Putin quote
    gid = ready.loc[ready["article_id"].str.startswith("a01"), "group_id"].iloc[0]
    members = set(al.loc[al["group_id"] == gid, "article_id"].str[:3])
    assert {"a01", "a05", "b04", "b16"} <= members
    assert not al.duplicated(["group_id", "article_id"]).any()


_PARAS = [
    "Russian President Vladimir Putin met U.S. envoys in the Kremlin for almost five hours on "
    "Tuesday, but the two sides found no compromise on territory.",
    "Ukrainian President Volodymyr Zelensky said Kyiv would study the results of the talks "
    "closely and warned against any deals behind Ukraine's back.",
    "European leaders are following the talks in Moscow with growing unease, diplomats said on "
    "Wednesday, as Brussels prepares its own counter-proposal.",
    "Markets barely moved on the news, with oil prices steady and the rouble slightly weaker "
    "against the dollar in early trading in Moscow.",
]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=4),
                min_size=1, max_size=6),
       st.lists(st.one_of(st.none(), st.integers(1, 28)), min_size=6, max_size=6))
def test_find_syndication_invariants(layout, days):
    """Any mix of shared paragraphs (some lightly edited): groups span 2+ articles, exactly the
    paragraphs outside the original article are copies, offsets trace into the text."""
    arts, paras = [], []
    for k, plist in enumerate(layout):
        text, rows, pos = "", [], 0
        for pid, (which, edit) in enumerate(plist):
            body = _PARAS[which].replace("Tuesday", "Monday") if edit else _PARAS[which]
            if text:
                text += "\n\n"
            start = len(text)
            text += body
            rows.append(dict(article_id=f"n{k}", paragraph_id=pid, kind="body", start=start,
                             end=len(text), text=body))
        paras.extend(rows)
        arts.append(dict(article_id=f"n{k}", outlet=f"O{k}", text=text,
                         published=None if days[k] is None else f"2025-12-{days[k]:02d}"))
    corpus = SimpleNamespace(articles=pd.DataFrame(arts), paragraphs=pd.DataFrame(paras))
    syn = find_syndication(corpus)
    text = dict(zip(corpus.articles["article_id"], corpus.articles["text"]))
    for gid, g in syn.groupby("group_id"):
        assert g["article_id"].nunique() >= 2
        assert g["original_article_id"].nunique() == 1
        orig = g["original_article_id"].iloc[0]
        assert (g["is_copy"] == (g["article_id"] != orig)).all()
        assert (g["similarity"] >= 0.9).all()
    for r in syn.itertuples():
        assert text[r.article_id][r.start:r.end] in _PARAS or "Monday" in text[r.article_id][r.start:r.end]
    # a paragraph text present in 2+ articles is always reported
    seen = pd.DataFrame(paras).groupby("text")["article_id"].nunique()
    shared = set(seen[seen >= 2].index)
    reported = {text[r.article_id][r.start:r.end] for r in syn.itertuples()}
    assert shared <= reported


# --------------------------------------------------------------------------- plots and widgets

def test_sourcing_bars_one_trace_per_value_and_escaped(corpus):
    prof = sourcing_profile(corpus.statements, corpus.articles)
    fig = ak.plots.sourcing_bars(prof, dimension="affiliation")
    assert [t.name for t in fig.data] == ["Russia", "Ukraine", "US", "Europe", "other", "unknown"]
    assert len(fig.data[0].y) == corpus.articles["outlet"].nunique()
    tricky = prof.assign(outlet=prof["outlet"].replace({"Global Wire": "<b>Wire</b>"}))
    fig = ak.plots.sourcing_bars(tricky, dimension="source")
    assert not any("<b>" in y for t in fig.data for y in t.y)
    empty = ak.plots.sourcing_bars(prof.iloc[0:0], dimension="kind")
    assert empty.layout.annotations


def test_syndication_bars(corpus):
    fig = ak.plots.syndication_bars(find_syndication(corpus), corpus.paragraphs, corpus.articles)
    shares = dict(zip(fig.data[0].customdata[:, 0] if hasattr(fig.data[0].customdata, "shape")
                      else [c[0] for c in fig.data[0].customdata], fig.data[0].x))
    assert shares["Global Wire"] == 0 and shares["Capital Times"] > 0.5


def test_compare_panel_shows_versions_chart_and_omissions(corpus):
    panel = ak.widgets.compare_panel(corpus)
    assert panel.speaker.value == "Yuri Ushakov"
    html_ = panel.variants.value
    assert "<del>" in html_ or "<ins>" in html_
    assert "Eastern Herald" in html_ and "Global Wire" in html_
    assert "Carried by most other outlets" in panel.omissions.value
    panel.omission_outlet.value = "Kyiv Observer"
    assert "Steve Witkoff" in panel.omissions.value
    panel.dimension.value = "kind"
    assert panel.figures["sourcing"].layout.title.text.startswith("Direct quotes")
    panel.source.value = ["Global Wire"]
    assert set(panel.variants_frame()["outlet"]) <= {"Global Wire"}


def test_compare_panel_on_seeds_two_outlets():
    panel = ak.widgets.compare_panel(ak.load_corpus(Path(__file__).parents[1] / "seeds"))
    assert panel.group.value is not None and panel.variants.value
    assert len(panel.source.outlets) == 2


def test_variants_table_html_escapes_article_text():
    out = align_statements(_stmt([("x1", "<i>Rubio</i>", "<script>alert(1)</script> work remains"),
                                  ("x2", "<i>Rubio</i>", "<script>alert(1)</script> work remains!")]))
    v = statement_variants(out, 0, articles=pd.DataFrame({"article_id": ["x1", "x2"],
                                                          "outlet": ["<b>A</b>", "B"]}))
    page = ak.widgets.variants_table_html(v)
    assert "<script>" not in page and "<b>A</b>" not in page and "<i>Rubio</i>" not in page
    assert "&lt;script&gt;" in page and "<ins>" in page


def test_compare_panel_filter_change_reuses_the_group_versions(corpus, monkeypatch):
    """A source-filter change only cuts the versions computed for the group (not recomputed),
    and the result equals statement_variants restricted to the selected outlets."""
    from analystkit import compare

    panel = ak.widgets.compare_panel(corpus)
    full = statement_variants(panel.aligned, panel.group.value, articles=corpus.articles)
    calls = []
    monkeypatch.setattr(compare, "statement_variants", lambda *a, **k: calls.append(1))
    panel.source.value = ["Global Wire"]
    panel.source.value = list(panel.source.outlets)
    assert calls == []
    pd.testing.assert_frame_equal(panel.variants_frame(), full)
    panel.source.value = ["Global Wire"]
    pd.testing.assert_frame_equal(panel.variants_frame(),
                                  full[full["outlet"] == "Global Wire"].reset_index(drop=True))


def test_variants_table_html_builds_only_the_rows_shown():
    out = align_statements(_stmt([(f"x{i}", "Rubio", "work remains to be done") for i in range(70)]))
    v = statement_variants(out, 0)
    page = ak.widgets.variants_table_html(v, max_rows=5)
    assert page.count("<tr>") == 6 and "showing 5 of 70 rows" in page
