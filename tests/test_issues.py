"""Tests for analystkit.issues: codebook, issue hits, coverage, KWIC, keyness, evidence."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import analystkit as ak
from analystkit import issues as I

FIX = Path(__file__).resolve().parent / "fixtures" / "issues"
DEFAULT_KEYS = ["territory", "nato_membership", "security_guarantees", "ceasefire", "sanctions",
                "peace_plan", "europe_role", "humanitarian", "energy_economy",
                "military_escalation"]


def sentences_frame(texts):
    """A sentences frame (design.md columns) with one article per text."""
    return pd.DataFrame({
        "article_id": pd.Series([f"s{i:03d}" for i in range(len(texts))], dtype="string"),
        "sentence_id": 0, "paragraph_id": 0, "kind": "body",
        "start": 0, "end": [len(t) for t in texts],
        "text": pd.Series(list(texts), dtype="string"),
    })


def issues_in(text, codebook=None):
    hits = I.count_issues(sentences_frame([text]), codebook=codebook)
    return set(map(str, hits["issue"]))


def prf(gold_sets, pred_sets, keys):
    tp = fp = fn = 0
    for g, p in zip(gold_sets, pred_sets):
        for k in keys:
            tp += (k in g) and (k in p)
            fp += (k not in g) and (k in p)
            fn += (k in g) and (k not in p)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# ------------------------------------------------------------------------------------------
# codebook
# ------------------------------------------------------------------------------------------

def test_default_codebook_has_the_ten_issues_with_labels_and_terms():
    cb = ak.load_issues()
    assert cb.keys == DEFAULT_KEYS
    for key in cb.keys:
        assert cb.issues[key]["label"] and cb.issues[key]["description"]
        assert len(cb.terms(key)) >= 5
    f = cb.frame
    assert list(f.columns) == ["issue", "label", "kind", "pattern", "line"]
    assert set(f["kind"]) == {"term", "exclude"}
    assert (f["line"] > 0).all()


def test_load_issues_accepts_path_dict_quanteda_list_and_loaded(tmp_path):
    p = tmp_path / "mine.yaml"
    p.write_text("fish:\n  label: Fishing\n  terms: [fish*, 'fishing quota*']\n"
                 "boats: [trawler*, boat]\n", encoding="utf-8")
    cb = ak.load_issues(p)
    assert cb.keys == ["fish", "boats"]
    assert cb.issues["fish"]["label"] == "Fishing"
    assert cb.issues["boats"]["label"] == "Boats"
    assert ak.load_issues(cb) is cb
    cb2 = ak.load_issues({"fish": ["fish*"], "boats": {"terms": ["boat"], "exclude": ["boat race"]}})
    assert cb2.keys == ["fish", "boats"]
    hits = ak.count_issues(sentences_frame(["Sailors lost their boat.", "The boat race."]),
                           codebook=cb2)
    assert list(hits["issue"].astype(str)) == ["boats"]
    assert list(hits["article_id"]) == ["s000"]


def test_nested_quanteda_dictionary_is_flattened(tmp_path):
    p = tmp_path / "nested.yml"
    p.write_text("economy:\n  energy: [oil, gas]\n  trade:\n    terms: [tariff*]\n"
                 "war: [drone*]\n", encoding="utf-8")
    cb = ak.load_issues(p)
    assert cb.keys == ["economy.energy", "economy.trade", "war"]
    hits = ak.count_issues(sentences_frame(["Oil tariffs and drones."]), codebook=cb)
    assert list(hits["issue"].astype(str)) == ["economy.energy", "economy.trade", "war"]


@pytest.mark.parametrize("text, line, issue, fragment", [
    ("fish:\n  terms: [fish*]\nboats:\n  terms:\n    - boat\n    - '(trawler'\n", 6, "boats",
     "unbalanced"),
    ("fish:\n  label: Fishing\n  term: [fish]\n", 3, "fish", "unknown field 'term'"),
    ("fish:\n  term: [fish]\n", 2, "fish", "unknown field 'term'"),
    ("fish:\n  terms: fish\n", 2, "fish", "must be a list"),
    ("fish:\n  label: Fishing\n", 1, "fish", "no 'terms'"),
    ("fish:\n  terms: []\n", 1, "fish", "empty"),
    ("fish: [fish]\nfish: [boat]\n", 2, "fish", "duplicate"),
    ("fish:\n  terms: ['~3 boat']\n", 2, "fish", "gap"),
    ("fish:\n  terms: ['*']\n", 2, "fish", "any word"),
    ("fish:\n  terms: [fish\n  label: x\n", None, None, "not valid YAML"),
    ("- fish\n- boat\n", 1, None, "must be a mapping"),
    ("fish:\n  terms:\n    - {a: b}\n", 3, "fish", "must be a string"),
])
def test_malformed_codebook_names_file_issue_and_line(tmp_path, text, line, issue, fragment):
    p = tmp_path / "bad_issues.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(I.CodebookError) as exc:
        ak.load_issues(p)
    msg = str(exc.value)
    assert "bad_issues.yaml" in msg
    assert fragment in msg
    if line is not None and fragment != "not valid YAML":
        assert f"line {line}" in msg
    if issue is not None:
        assert f"issue {issue!r}" in msg


def test_missing_codebook_file_is_a_clear_error(tmp_path):
    with pytest.raises(I.CodebookError, match="nope.yaml"):
        ak.load_issues(tmp_path / "nope.yaml")


# ------------------------------------------------------------------------------------------
# pattern syntax
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("pattern, text, expected", [
    ("land", "Finland and Poland", None),
    ("land", "the land they hold", "land"),
    ("land", "Landmark talks", None),
    ("territor*", "territorial claims", "territorial"),
    ("territor*", "TERRITORY", "TERRITORY"),
    ("security guarantee*", "security\u2011guarantees", "security\u2011guarantees"),
    ("security guarantee*", "security \n  guarantee", "security \n  guarantee"),
    ("security guarantee*", "security-guarantee document", "security-guarantee"),
    ("security guarantee*", "security\u2013guarantees", "security\u2013guarantees"),
    ("security guarantee*", "securityguarantees", None),
    ("cease-fire", "a ceasefire now", "ceasefire"),
    ("cease-fire", "a cease-fire now", "cease-fire"),
    ("cease-fire", "a cease fire now", "cease fire"),
    ("cease-fire", "a cease\u2011fire now", "cease\u2011fire"),
    ("Kyiv's", "Kyiv\u2019s position", "Kyiv\u2019s"),
    ("Kyiv's", "Kyiv's position", "Kyiv's"),
    ("join* ~3 alliance", "to join the Western military alliance", "join the Western military alliance"),
    ("join* ~3 alliance", "joined the talks on a new trade deal with the alliance", None),
    ("withdraw* from * Donetsk", "withdraw from eastern Donetsk", "withdraw from eastern Donetsk"),
    ("withdraw* from * Donetsk", "withdraw from Donetsk", None),
    ("(cede*|give up) land", "would give up land", "give up land"),
    ("(cede*|give up) land", "ceded land", "ceded land"),
    ("=US", "the US and Russia", "US"),
    ("=US", "told us that", None),
    ("NATO", "Nato allies", "Nato"),
    ("#-point", "the 28-point plan", "28-point"),
    ("#-point", "the 28\u2011point plan", "28\u2011point"),
    ("price cap*", "oil price-caps", "price-caps"),
    ("U.S.", "the U. S. delegation", "U. S."),
    ("recogni?e", "recognise and recognize", "recognise"),
])
def test_pattern_syntax(pattern, text, expected):
    rx = re.compile(I.compile_pattern(pattern), re.IGNORECASE)
    m = rx.search(text)
    assert (m.group(0) if m else None) == expected


def test_case_sensitive_terms_are_checked_on_the_original_text():
    cb = ak.load_issues({"us": ["=US", "=(EU|NATO) summit"], "x": ["Donbas"]})
    hits = ak.count_issues(sentences_frame(["Tell us about the US plan and the eu summit.",
                                            "The NATO summit. Donbas."]), codebook=cb)
    got = [(r.article_id, str(r.issue), r.term) for r in hits.itertuples()]
    assert got == [("s000", "us", "=US"), ("s001", "us", "=(EU|NATO) summit"),
                   ("s001", "x", "Donbas")]


def test_scan_folds_spaces_dashes_apostrophes_without_moving_offsets():
    texts = ["Security\u00a0guarantees and the 28\u2011point plan.",
             "\u0130stanbul talks on Kyiv\u2019s NATO\u2013membership bid.",
             "See https://example.com/territory-ceasefire-raid for the Donbas."]
    s = sentences_frame(texts)
    hits = ak.count_issues(s)
    for r in hits.itertuples():
        t = texts[int(r.article_id[1:])]
        assert t[r.start:r.end].strip() == t[r.start:r.end]
    by = {(r.article_id, str(r.issue)): texts[int(r.article_id[1:])][r.start:r.end]
          for r in hits.itertuples()}
    assert by[("s000", "security_guarantees")] == "Security\u00a0guarantees"
    assert by[("s000", "peace_plan")].startswith("28\u2011point")
    assert by[("s001", "nato_membership")] == "NATO\u2013membership"
    assert by[("s001", "peace_plan")] == "\u0130stanbul talks"
    # nothing inside the URL counts, the Donbas after it does
    s2 = hits[hits["article_id"] == "s002"]
    assert list(s2["issue"].astype(str)) == ["territory"]
    assert texts[2][s2["start"].item():s2["end"].item()] == "Donbas"
    mail = ak.count_issues(sentences_frame(["Write to sanctions.desk@ceasefire-news.org about Donbas."]))
    assert list(mail["issue"].astype(str)) == ["territory"]


def test_gap_never_crosses_a_sentence():
    cb = ak.load_issues({"x": ["withdraw* ~5 Donetsk"]})
    hits = ak.count_issues(sentences_frame(["They must withdraw.", "Donetsk is calm."]), codebook=cb)
    assert len(hits) == 0


# ------------------------------------------------------------------------------------------
# count_issues
# ------------------------------------------------------------------------------------------

def test_issue_hits_columns_offsets_and_terms(seeds_corpus):
    c = seeds_corpus
    hits = ak.count_issues(c.sentences)
    assert list(hits.columns) == ["article_id", "sentence_id", "issue", "term", "start", "end"]
    assert isinstance(hits.index, pd.RangeIndex)
    assert list(hits["issue"].cat.categories) == DEFAULT_KEYS
    assert len(hits) > 50
    text = dict(zip(c.articles["article_id"], c.articles["text"]))
    sent = c.sentences.set_index(["article_id", "sentence_id"])
    cb = ak.load_issues()
    rx = {k: re.compile("|".join(I.compile_pattern(t) for t in cb.terms(k)), re.IGNORECASE)
          for k in cb.keys}
    for row in hits.itertuples():
        surface = text[row.article_id][row.start:row.end]
        assert surface and surface == surface.strip()
        s = sent.loc[(row.article_id, row.sentence_id)]
        assert s["start"] <= row.start < row.end <= s["end"]
        assert row.term in cb.terms(row.issue)
        assert re.fullmatch(I.compile_pattern(row.term), surface, re.IGNORECASE)
        assert rx[row.issue].search(surface)
    # every issue the seeds obviously talk about is found
    found = set(hits["issue"].astype(str))
    assert {"territory", "nato_membership", "security_guarantees", "ceasefire", "sanctions",
            "peace_plan", "europe_role", "military_escalation"} <= found


def test_corpus_issue_hits_and_coverage_use_this_module(seeds_corpus):
    c = seeds_corpus
    pd.testing.assert_frame_equal(c.issue_hits, ak.count_issues(c.sentences))
    cov = c.coverage
    assert len(cov) == c.articles["outlet"].nunique() * 10


def test_count_issues_does_not_mutate_and_handles_empty():
    s = sentences_frame(["Ukraine will not cede land.", ""])
    before = s.copy()
    hits = ak.count_issues(s)
    pd.testing.assert_frame_equal(s, before)
    assert list(hits["issue"].astype(str)) == ["territory"]
    empty = ak.count_issues(s.iloc[0:0])
    assert list(empty.columns) == I.ISSUE_HIT_COLUMNS and len(empty) == 0
    with pytest.raises(ValueError, match="lacks column"):
        ak.count_issues(s.drop(columns="text"))


def test_offsets_are_into_article_text_not_sentence():
    text = "Headline here.\nThe Kremlin wants Donbas. Europe objects."
    s = pd.DataFrame({"article_id": ["a"], "sentence_id": [1], "paragraph_id": [1],
                      "kind": ["body"], "start": [15], "end": [40],
                      "text": [text[15:40]]})
    hits = ak.count_issues(s)
    row = hits[hits["issue"] == "territory"].iloc[0]
    assert text[row["start"]:row["end"]] == "Donbas"


@pytest.mark.parametrize("text, absent", [
    ("Finland's president flew to Kyiv.", "territory"),
    ("Diplomacy has entered uncharted territory.", "territory"),
    ("Land mines still cover the fields.", "territory"),
    ("Trump wants to strike a deal quickly.", "military_escalation"),
    ("He suffered a heart attack.", "military_escalation"),
    ("There is no guarantee that it will work.", "security_guarantees"),
    ("Europe's largest nuclear plant lost power.", "europe_role"),
    ("The plan was killed off by the Senate.", "humanitarian"),
    ("The Zaporizhzhia nuclear plant lost power again.", "territory"),
    ("Shares of Shell rose.", "military_escalation"),
    ("Police used tear gas on protesters.", "energy_economy"),
    ("The meeting was sanctioned by both presidents.", "sanctions"),
    ("Sweden and Finland joined NATO in 2023 and 2024.", "nato_membership"),
    ("A think tank published the report.", "military_escalation"),
    ("Ukraine's EU membership bid is advancing.", "nato_membership"),
    ("Poland scrambled fighter jets after drones entered its airspace.", "europe_role"),
    ("A Russian drone crashed in Romania.", "europe_role"),
    ("Kushner's firm manages money for Gulf sovereign funds.", "sanctions"),
    ("Moscow accuses the West of trying to sabotage a peaceful settlement.", "military_escalation"),
    ("Men aged 18 to 24 can sign one-year contracts with the army.", "peace_plan"),
    ("White House officials said Kushner helped draft the Gaza ceasefire deal.", "ceasefire"),
    ("The UN human rights monitoring mission published its report.", "security_guarantees"),
    ("Europe was not an obstacle to peace but a guarantor of it.", "security_guarantees"),
])
def test_false_friends_are_not_counted(text, absent):
    assert absent not in issues_in(text)


@pytest.mark.parametrize("text, present", [
    ("Moscow wants Kyiv to withdraw from eastern Donetsk.", "territory"),
    ("The Donbas is the main sticking point.", "territory"),
    ("Ukraine wants to join the alliance.", "nato_membership"),
    ("A truce could be agreed by Easter.", "ceasefire"),
    ("The EU will not release the frozen assets.", "sanctions"),
    ("Britain proposed a reassurance force.", "security_guarantees"),
    ("An Article 5-style pledge was discussed.", "security_guarantees"),
    ("A prisoner swap took place on Friday.", "humanitarian"),
    ("Strikes damaged the power grid.", "energy_economy"),
    ("Strikes damaged the power grid.", "military_escalation"),
    ("The 28\u2011point plan was leaked.", "peace_plan"),
    ("Russia\u2011US talks ended.", "peace_plan"),
    ("Merz and Macron called Zelensky.", "europe_role"),
    ("Ukraine will not give up its land, Zelenskyy said.", "territory"),
    ("The cease\u2011fire collapsed.", "ceasefire"),
    ("Belgium fears Russian lawsuits over the assets.", "europe_role"),
    ("The deal bars Ukraine from NATO.", "nato_membership"),
    ("They remain far apart on land, NATO and what comes after a truce.", "nato_membership"),
    ("Moscow wants guarantees of Ukraine's non-bloc status.", "nato_membership"),
    ("Washington offered guarantees that would have to be ratified by Congress.", "security_guarantees"),
    ("Hundreds of thousands of families were plunged into darkness.", "humanitarian"),
    ("Putin hopes to return to the G8.", "energy_economy"),
])
def test_hard_recall_cases(text, present):
    assert present in issues_in(text)


def _load_sentence_fixture(name):
    items = yaml.safe_load((FIX / name).read_text(encoding="utf-8"))
    assert all(set(x) == {"text", "issues"} for x in items)
    for x in items:
        assert set(x["issues"]) <= set(DEFAULT_KEYS), x
    return items


def test_sentence_fixture_is_big_and_has_negatives():
    items = _load_sentence_fixture("sentences.yaml") + _load_sentence_fixture("sentences_blind.yaml")
    assert len(items) >= 150
    assert sum(1 for x in items if not x["issues"]) >= 40
    per_issue = Counter(k for x in items for k in x["issues"])
    assert all(per_issue[k] >= 8 for k in DEFAULT_KEYS), per_issue


@pytest.mark.parametrize("name", ["sentences.yaml", "sentences_blind.yaml"])
def test_sentence_level_f1(name):
    items = _load_sentence_fixture(name)
    hits = ak.count_issues(sentences_frame([x["text"] for x in items]))
    by_id = hits.groupby("article_id", observed=True)["issue"].agg(lambda s: set(map(str, s)))
    pred = [by_id.get(f"s{i:03d}", set()) for i in range(len(items))]
    gold = [set(x["issues"]) for x in items]
    p, r, f1 = prf(gold, pred, DEFAULT_KEYS)
    assert f1 >= 0.92, (p, r, f1)
    for k in DEFAULT_KEYS:  # no issue is carried by the others
        pk, rk, fk = prf(gold, pred, [k])
        assert fk >= 0.75, (k, pk, rk, fk)


@pytest.mark.parametrize("folder, goldfile", [("articles", "gold.json"),
                                              ("articles_blind", "gold_blind.json"),
                                              ("articles_blind2", "gold_blind2.json"),
                                              ("articles_blind3", "gold_blind3.json"),
                                              ("articles_blind4", "gold_blind4.json"),
                                              ("articles_blind5", "gold_blind5.json"),
                                              ("articles_blind6", "gold_blind6.json")])
def test_article_level_f1_on_fixture_articles(folder, goldfile):
    c = ak.load_corpus(FIX / folder)
    gold = json.loads((FIX / goldfile).read_text(encoding="utf-8"))
    assert set(c.articles["article_id"]) == set(gold)
    pres = I.article_issues(c)
    assert len(pres) == len(c.articles) * 10
    got = pres[pres["present"]].groupby("article_id", observed=True)["issue"].agg(
        lambda s: set(map(str, s)))
    ids = list(c.articles["article_id"])
    p, r, f1 = prf([set(gold[a]["issues"]) for a in ids], [got.get(a, set()) for a in ids],
                   DEFAULT_KEYS)
    assert f1 >= 0.92, (p, r, f1)


def test_article_issues_threshold():
    s = sentences_frame(["Talks on Donbas.", "Donbas again. And Crimea."])
    s["article_id"] = "a"
    s["sentence_id"] = [0, 1]
    hits = ak.count_issues(s)
    one = I.article_issues(hits)
    assert one.loc[one["issue"] == "territory", ["hits", "sentences"]].values.tolist() == [[3, 2]]
    three = I.article_issues(hits, min_hits=4)
    assert not three.loc[three["issue"] == "territory", "present"].item()


# ------------------------------------------------------------------------------------------
# coverage
# ------------------------------------------------------------------------------------------

def _toy_corpus():
    df = pd.DataFrame({
        "article_id": ["a1", "a2", "b1", "c1"],
        "outlet": ["Alpha", "Alpha", "Beta", "Gamma"],
        "title": ["One", "Two", "Three", "Four"],
        "text": [
            "Talks stall over Donbas\n\nThe Kremlin wants the Donbas. Kyiv refuses to cede land.",
            "Sanctions pressure grows\n\nThe EU prepared new sanctions on Russian oil.",
            "Ceasefire hopes fade\n\nA ceasefire looks distant. The Donbas remains contested.",
            "Weather report\n\nIt was sunny and mild in the capital on Tuesday.",
        ],
    })
    return ak.load_corpus(df)


def test_coverage_grid_zeros_and_measures():
    c = _toy_corpus()
    cov = ak.coverage(c)
    assert list(cov.columns) == ["outlet", "issue"] + I.COVERAGE_MEASURES
    assert len(cov) == 3 * 10                        # every outlet x every issue
    assert isinstance(cov.index, pd.RangeIndex)
    gamma = cov[cov["outlet"] == "Gamma"]
    assert (gamma[I.COVERAGE_MEASURES] == 0).all().all()
    assert cov["hits"].sum() == len(c.issue_hits)
    t = cov.set_index(["outlet", "issue"])
    hits = c.issue_hits.merge(c.articles[["article_id", "outlet"]], on="article_id")
    exp = hits[(hits["outlet"] == "Alpha") & (hits["issue"] == "territory")]
    assert t.loc[("Alpha", "territory"), "hits"] == len(exp) >= 2
    assert t.loc[("Alpha", "territory"), "articles"] == 1
    n_sent = (c.sentences.merge(c.articles[["article_id", "outlet"]])["outlet"] == "Alpha").sum()
    n_hit_sent = exp[["article_id", "sentence_id"]].drop_duplicates().shape[0]
    assert math.isclose(t.loc[("Alpha", "territory"), "share_of_sentences"], n_hit_sent / n_sent)
    tok = c.tokens.merge(c.articles[["article_id", "outlet"]])
    n_words = ((tok["outlet"] == "Alpha") & ~tok["is_punct"]).sum()
    assert math.isclose(t.loc[("Alpha", "territory"), "per_1k_tokens"], len(exp) * 1000 / n_words)
    assert t.loc[("Alpha", "territory"), "share_of_articles"] == 0.5
    assert ((cov["share_of_sentences"] >= 0) & (cov["share_of_sentences"] <= 1)).all()


def test_coverage_from_frames_and_by_other_column():
    c = _toy_corpus()
    a = ak.coverage(c)
    b = ak.coverage(c.issue_hits, articles=c.articles, sentences=c.sentences, tokens=c.tokens,
                    codebook=c.issue_codebook)
    pd.testing.assert_frame_equal(a, b)
    by_title = ak.coverage(c, by="title")
    assert list(by_title.columns[:2]) == ["title", "issue"] and len(by_title) == 40
    no_tok = ak.coverage(c.issue_hits, articles=c.articles, sentences=c.sentences)
    assert (no_tok["per_1k_tokens"] > 0).sum() == (a["per_1k_tokens"] > 0).sum()
    with pytest.raises(ValueError, match="no column 'nope'"):
        ak.coverage(c, by="nope")


def test_coverage_dedupe_with_syndication_frame():
    shared = "The Kremlin demands that Ukraine withdraw from the Donbas before any truce."
    df = pd.DataFrame({
        "article_id": ["orig", "copy"],
        "outlet": ["Wire", "Portal"],
        "text": [f"Wire story\n\n{shared}\n\nSanctions remain in place.",
                 f"Portal story\n\n{shared}\n\nMarkets were calm."],
    })
    c = ak.load_corpus(df)
    para = c.paragraphs
    copy_para = para[(para["article_id"] == "copy") & (para["text"] == shared)].iloc[0]
    syn = pd.DataFrame({"article_id": ["orig", "copy"],
                        "paragraph_id": [para[(para["article_id"] == "orig") &
                                              (para["text"] == shared)]["paragraph_id"].item(),
                                         copy_para["paragraph_id"]],
                        "start": 0, "end": 0, "group_id": 0, "is_copy": [False, True],
                        "original_article_id": "orig", "similarity": 1.0})
    plain = ak.coverage(c).set_index(["outlet", "issue"])
    dd = ak.coverage(c, dedupe=True, syndication=syn).set_index(["outlet", "issue"])
    assert plain.loc[("Portal", "territory"), "hits"] >= 1
    assert dd.loc[("Portal", "territory"), "hits"] == 0
    assert dd.loc[("Portal", "ceasefire"), "hits"] == 0
    assert dd.loc[("Portal", "energy_economy"), "hits"] == plain.loc[("Portal", "energy_economy"), "hits"] >= 1
    assert dd.loc[("Wire", "territory"), "hits"] == plain.loc[("Wire", "territory"), "hits"]
    # the copied sentence leaves the denominators too
    assert dd.loc[("Portal", "energy_economy"), "share_of_sentences"] > \
        plain.loc[("Portal", "energy_economy"), "share_of_sentences"]
    assert dd.loc[("Portal", "energy_economy"), "per_1k_tokens"] > \
        plain.loc[("Portal", "energy_economy"), "per_1k_tokens"]


def test_coverage_dedupe_uses_find_syndication_when_available():
    pytest.importorskip("analystkit.compare")
    shared = ("Russia and the United States failed to agree on the territorial questions at the "
              "heart of the peace plan, the Kremlin said after five hours of talks in Moscow.")
    df = pd.DataFrame({
        "article_id": ["a", "b"], "outlet": ["One", "Two"],
        "published": ["2025-12-01", "2025-12-02"],
        "text": [f"First\n\n{shared}\n\nEurope was not consulted.",
                 f"Second\n\n{shared}\n\nOil prices fell."],
    })
    c = ak.load_corpus(df)
    dd = ak.coverage(c, dedupe=True).set_index(["outlet", "issue"])
    plain = ak.coverage(c).set_index(["outlet", "issue"])
    assert plain.loc[("Two", "territory"), "hits"] >= 1
    assert dd.loc[("Two", "territory"), "hits"] == 0
    assert dd.loc[("One", "territory"), "hits"] == plain.loc[("One", "territory"), "hits"]


# ------------------------------------------------------------------------------------------
# evidence, kwic, keyness
# ------------------------------------------------------------------------------------------

def test_issue_evidence_marks_escaped_hits():
    df = pd.DataFrame({"article_id": ["x"], "outlet": ["<Evil> Outlet"],
                       "text": ["Headline\n\nThe <b>ceasefire</b> & truce talks failed. Nothing else."]})
    c = ak.load_corpus(df)
    ev = I.issue_evidence(c, outlet="<Evil> Outlet", issue="ceasefire")
    assert len(ev) == 1
    row = ev.iloc[0]
    assert row["hits"] == 2 and row["issue"] == "ceasefire"
    assert [w.lower() for w in row["words"]] == ["ceasefire", "truce"]
    assert "<b>" not in row["marked"] and "&lt;b&gt;" in row["marked"]
    assert row["marked"].count("<mark>") == 2
    for s, e in row["spans"]:
        assert row["text"][s:e].lower() in {"ceasefire", "truce"}
    art = c.articles.set_index("article_id").loc["x", "text"]
    assert art[row["start"]:row["end"]] == row["text"]
    assert len(I.issue_evidence(c, outlet="nobody")) == 0


def test_kwic_wildcards_phrases_and_context(seeds_corpus):
    c = seeds_corpus
    k = ak.kwic(c, "territor*", window=5)
    assert list(k.columns) == ["article_id", "sentence_id", "start", "end", "left", "match",
                               "right", "outlet", "pattern"]
    assert len(k) >= 10
    text = dict(zip(c.articles["article_id"], c.articles["text"]))
    for row in k.itertuples():
        assert text[row.article_id][row.start:row.end] == row.match
        assert row.match.lower().startswith("territor")
        assert len(row.left.split()) <= 5 and len(row.right.split()) <= 5
        assert row.outlet in set(c.articles["outlet"])
    phrase = ak.kwic(c, "security guarantee*", window=3)
    assert len(phrase) >= 2 and all(m.lower().startswith("security guarantee") for m in phrase["match"])
    near = ak.kwic(c, ["join ~2 NATO", "28-point"])
    assert set(near["pattern"]) == {"join ~2 NATO", "28-point"}
    assert len(ak.kwic(c, "zzzxq")) == 0
    with pytest.raises(ValueError):
        ak.kwic(c, "(broken")


def test_keyness_counts_and_statistics():
    c = _toy_corpus()
    k = ak.keyness(c, by="outlet", target="Alpha", min_count=1)
    assert list(k.columns) == ["term", "target_count", "reference_count", "target_total",
                               "reference_total", "target_per_1k", "reference_per_1k",
                               "keyness", "p_value", "log_ratio"]
    t = k.set_index("term")
    tok = c.tokens.merge(c.articles[["article_id", "outlet"]])
    assert t.loc["donbas", "target_count"] == ((tok["outlet"] == "Alpha") & (tok["lower"] == "donbas")).sum()
    assert t.loc["donbas", "reference_count"] == ((tok["outlet"] != "Alpha") & (tok["lower"] == "donbas")).sum()
    assert t.loc["sanctions", "target_count"] == 2 and t.loc["sanctions", "reference_count"] == 0
    # stopwords, punctuation, numbers out
    stops = set(tok.loc[tok["is_stop"], "lower"])
    assert not (set(k["term"]) & stops)
    assert not any(re.fullmatch(r"\W+|\d+", w) for w in k["term"])
    # a word only in the target is positive, one only in the reference negative
    assert t.loc["sanctions", "keyness"] > 0 and t.loc["sunny", "keyness"] < 0
    assert k["keyness"].is_monotonic_decreasing
    # G2 by hand for one term
    a, b = t.loc["sanctions", "target_count"], t.loc["sanctions", "reference_count"]
    cc, d = t.loc["sanctions", "target_total"], t.loc["sanctions", "reference_total"]
    e1 = cc * (a + b) / (cc + d)
    e2 = d * (a + b) / (cc + d)
    g2 = 2 * (a * math.log(a / e1) + (b * math.log(b / e2) if b else 0))
    assert math.isclose(t.loc["sanctions", "keyness"], g2)
    assert 0 <= t.loc["sanctions", "p_value"] <= 1
    lo = ak.keyness(c, by="outlet", target="Alpha", reference="Beta", measure="logodds", min_count=1)
    assert lo["reference_total"].iloc[0] < k["reference_total"].iloc[0]
    assert lo.set_index("term").loc["sanctions", "keyness"] > 0
    with pytest.raises(ValueError, match="not found"):
        ak.keyness(c, target="Nobody")
    with pytest.raises(ValueError, match="measure"):
        ak.keyness(c, target="Alpha", measure="chi2")


# ------------------------------------------------------------------------------------------
# property: offsets survive the folded scan
# ------------------------------------------------------------------------------------------


_WORDS = ["Donbas", "territory", "NATO", "truce", "cease\u2011fire", "security", "guarantees",
          "land", "Finland", "\u0130stanbul", "talks", "Kyiv\u2019s", "join", "the", "alliance",
          "frozen", "assets", "EU", "US", "us", "28\u2011point", "plan", "https://x.org/nato",
          "war", "strike", "a", "deal", "\u00a0", "\u2014", "\n", "U.", "S.", "ZNPP", "drones"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=14), min_size=1, max_size=4))
def test_hits_are_exact_spans_of_their_term(sentences):
    texts = [" ".join(ws) for ws in sentences]
    s = sentences_frame(texts)
    hits = ak.count_issues(s)
    for r in hits.itertuples():
        text = texts[int(r.article_id[1:])]
        assert 0 <= r.start < r.end <= len(text)
        surface = text[r.start:r.end]
        assert re.fullmatch(I.compile_pattern(r.term), surface, re.IGNORECASE), (r.term, surface)
        assert "https://" not in surface


def test_scan_regexes_have_no_unbounded_gap_pieces():
    # a long run of junk without spaces ("the,the,the,...") must not make the scan quadratic:
    # every piece that can swallow punctuation between words is bounded
    for m in ak.load_issues().matchers():
        for u in (m.regex, m.exclude):
            if u is None:
                continue
            p = u.regex.pattern
            for piece in ("[^ \x00-]*", "[^ \x00-]+", "[^\\w \x00-]*", "[ -]+"):
                assert piece not in p, (m.issue, piece)


# ------------------------------------------------------------------------------------------
# the anchored scan (count_issues only tries the regexes where a term can start) must find
# exactly what scanning the whole text finds
# ------------------------------------------------------------------------------------------

def _full_scan_hits(sentences, codebook=None, monkeypatch=None):
    """count_issues with the anchored scan switched off (every regex scans all the text)."""
    monkeypatch.setattr(I, "_find_anchored", lambda *args, **kwargs: None)
    try:
        return I.count_issues(sentences, codebook=codebook)
    finally:
        monkeypatch.undo()


def _same_as_full_scan(texts, codebook=None, monkeypatch=None):
    s = sentences_frame(texts)
    fast = I.count_issues(s, codebook=codebook)
    slow = _full_scan_hits(s, codebook, monkeypatch)
    pd.testing.assert_frame_equal(fast, slow)
    return fast


_TRICKY = [
    # phrases, gaps and separators: hyphens, dashes, no-break spaces, runs of spaces
    "the Kremlin said the US-drafted 28-point peace plan, a 'framework', would end the war",
    "a deal\u00a0to end the war; the  draft   deal -- to\u2011end the war",
    "cease-fire, ceasefire, cease fire, cease\u2011fire and a CEASE-FIRE; peace-keepers, peacekeeping",
    "Kyiv\u2019s bid to join the alliance; Ukraine's bid to join NATO; Ukraine \u201cwill never join\u201d NATO",
    "withdraw from eastern Donetsk; withdraw from Donetsk; give up land; gave up some land",
    "the 12-point plan, the twenty-eight-point plan, 600,000 troops, the 600 000-strong army",
    "U.S. guarantees, U. S. guarantees, E.U. officials, EU's leaders, the US and us",
    # overlaps: a longer phrase and its head word, an exclusion, a URL, an e-mail address
    "peace talks, talks on peace, uncharted territory, territorial integrity, land mines",
    "see https://example.com/peace-plan-territory and www.NATO.int/ceasefire or mail desk@nato.int",
    # case and Unicode: dotted capital I, final sigma, long s, ligatures, astral letters
    "\u0130stanbul talks, ISTANBUL TALKS, \u03a3\u0391\u03a3 and \u03c3\u03b1\u03c2, \u017fanctions, \ufb01ghting, \U0001d400lliance",
    # tokens glued by punctuation, a word split by a soft hyphen, digits and underscores
    "NATO/EU/US-led talks;sanctions,truce.armistice:front_line 2022-2025 sanction\u00adrelief",
    "", " ", "-", "\u2014", "the the the the the the the the the the the the the the the the",
]


@pytest.mark.parametrize("text", _TRICKY)
def test_anchored_scan_finds_what_a_full_scan_finds(text, monkeypatch):
    _same_as_full_scan([text, text.upper(), text.lower(), text.replace(" ", "-")],
                       monkeypatch=monkeypatch)


_ODD_CODEBOOK = {
    "odd": ["=US", "=(EU|NATO) summit", "#-point", "(#|twenty) ~2 plan", "(cede*|give up) land",
            "withdraw* from * Donetsk", "join* ~3 alliance", "a ~1 ~5 deal", "U.S.",
            "Kyiv's", "cease-fire", "(peace|war) (plan|deal)s", "recogni?e*", "a", "(the|a) deal",
            "\u03a3\u0391\u03a3", "\u0130stanbul", "(out-of-bloc|non-bloc)", "talks ~0 peace"],
    "loose": ["*ing talks", "(cede*|*ing) land", "$5 billion"],   # may start anywhere: full scan
    "plain": ["deal", "plan*", "talks"],
}


@pytest.mark.parametrize("text", _TRICKY + [
    "x~3 y; a b c d e f deal; a deal; the deal; peace plans; war deals; recognise, recognize",
    "the US and us; the EU summit; the eu summit; the NATO summit; talking talks; $5 billion",
    "\u03c3\u03b1\u03c2 \u03a3\u0391\u03a3 \u0130STANBUL istanbul out-of-bloc non-bloc talks peace"])
def test_anchored_scan_with_odd_terms(text, monkeypatch):
    cb = ak.load_issues(_ODD_CODEBOOK)
    _same_as_full_scan([text, text.upper(), text.replace(" ", "  ")], cb, monkeypatch)


_FUZZ_WORDS = sorted({w for p in ak.load_issues().frame["pattern"]
                      for w in re.findall(r"[^\s()|~*?#=]+", p)})
_GLUE = [" ", " ", " ", "-", " - ", "  ", "\u2011", ", ", " \u2013 ", "\u00a0", "", "'s ", "\u2019 ",
         ". ", " (", ") ", " \u201c", "\u201d "]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_FUZZ_WORDS + ["the", "a", "of", "to", "Ukraine\u2019s"]),
                                   st.sampled_from(_GLUE), st.integers(0, 3)),
                         min_size=1, max_size=30), min_size=1, max_size=6))
def test_anchored_scan_on_random_codebook_phrases(sentences):
    case = [str, str.upper, str.lower, str.capitalize]
    texts = ["".join(case[c](w) + g for w, g, c in sent) for sent in sentences]
    with pytest.MonkeyPatch.context() as mp:
        _same_as_full_scan(texts, monkeypatch=mp)


def test_token_index_finds_every_token_of_a_word():
    text = ("the Theory \u00fcber \u00dcBER ther them the-the \u0130 i\u0307 the_the 1,000 \U0001d400a "
            "\x00the\x00 thé the")
    low = I._lower(text)
    tokens = I._Tokens(low, np.array([0]))
    spans = [(m.start(), m.group()) for m in re.finditer(r"\w+", low)]
    assert tokens.starts.tolist() == [a for a, _ in spans]
    for lit in {w for _, w in spans} | {"th", "t", "them", "x", "\u00fcb", "1"}:
        for exact in (True, False):
            got = sorted(tokens.starts[tokens.occurrences(lit, exact)].tolist())
            want = [a for a, w in spans if (w == lit if exact else w.startswith(lit))]
            assert got == want, (lit, exact)


def test_url_spans_match_the_case_insensitive_pattern():
    rx = re.compile(r"(?:https?://|www\.)[^\s\x00)\]>\"']+", re.IGNORECASE)
    text = ("see http://a.b/c, HTTPS://X.Y and WwW.nato.int) or httpS\u017f://q \x00www.x\x00"
            "ww.no hTtP://z.org/p?q=1&r='s' www. https:// http:/x")
    us, ue = I._url_spans(text)
    assert list(zip(us.tolist(), ue.tolist())) == [m.span() for m in rx.finditer(text)]


@pytest.mark.parametrize("text", ["".join(map(chr, range(0x3100))) + "\u0130 A\u00a0B\u2019C",
                                  "plain ascii", "\u0130stanbul\u2011talks \u2018x\u2019"])
def test_fold_is_the_translate_table(text):
    low = text.translate(I._FOLD).lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text.translate(I._FOLD))
    assert I._lower(text) == low


def _instance(term, rnd):
    """A text written from a codebook term: random alternatives, wildcard endings, hyphen and
    apostrophe variants, gaps of 0 to N + 1 words (one too many: a near miss)."""
    words = []
    for tok in I._split_tokens(term.strip().lstrip("=")):
        gap = re.fullmatch(r"~(\d+)", tok)
        if gap:
            words += [rnd.choice(["the", "a", "U.S.", "Kyiv\u2019s", "(", "\u2014", "\u201cNATO\u201d",
                                  "land,", "0"]) for _ in range(rnd.randint(0, int(gap.group(1)) + 1))]
            continue
        out, i = [], 0
        while i < len(tok):
            ch = tok[i]
            if ch == "(":
                j = I._closing(tok, i)
                out.append(_instance(rnd.choice(I._split_top(tok[i + 1:j], "|")), rnd))
                i = j + 1
                continue
            out.append({"*": rnd.choice(["", "s", "ing", "x"]), "?": rnd.choice("sz"),
                        "#": rnd.choice(["28", "1,000"]), "=": "",
                        "-": rnd.choice(["-", " ", "", "\u2011"]),
                        "'": rnd.choice(["'", "\u2019", ""])}.get(ch, ch))
            i += 1
        words.append("".join(out) if rnd.random() < 0.8 else "".join(out).upper())
    return rnd.choice([" ", "  ", " - ", "\u00a0"]).join(words)


@pytest.mark.parametrize("seed", range(4))
def test_anchored_scan_on_texts_written_from_the_terms(seed, monkeypatch):
    import random

    rnd = random.Random(seed)
    patterns = list(ak.load_issues().frame["pattern"])
    texts = [" ".join(_instance(rnd.choice(patterns), rnd) + rnd.choice(["", ",", ".", ";"])
                      for _ in range(rnd.randint(1, 4))) for _ in range(150)]
    hits = _same_as_full_scan(texts, monkeypatch=monkeypatch)
    assert len(hits) > 100  # the texts do hit


@pytest.mark.parametrize("chunk", [1, 7, 100])
def test_count_issues_in_chunks_equals_one_pass(monkeypatch, chunk):
    """Large inputs are matched in runs of sentences (bounded memory): same rows, same order."""
    corpus = ak.load_corpus(Path(__file__).resolve().parent / "fixtures" / "heldout")
    one_pass = I.count_issues(corpus.sentences)
    monkeypatch.setattr(I, "_CHUNK_SENTENCES", chunk)
    chunked = I.count_issues(corpus.sentences)
    assert len(one_pass) > 500
    pd.testing.assert_frame_equal(chunked, one_pass)
