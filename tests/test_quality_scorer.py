"""Unit tests for the matching rules of benchmarks/quality.py (the held-out scorer)."""
import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("quality", ROOT / "benchmarks" / "quality.py")
q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(q)

HELDOUT = ROOT / "tests" / "fixtures" / "heldout"


@pytest.mark.parametrize("gold, pred", [
    ("Volodymyr Zelenskyy", "Volodymyr Zelensky"),
    ("Volodymyr Zelenskiy", "Zelensky"),
    ("Zelenskyy", "Volodymyr Zelensky"),
    ("Yury Ushakov", "Yuri Ushakov"),
    ("Yurii Ushakov", "Yuri Ushakov"),
    ("Andrii Ermak", "Andriy Yermak"),
    ("Rustem Umarov", "Rustem Umerov"),
    ("Kirill Dmitriyev", "Kirill Dmitriev"),
    ("Steven Witkoff", "Steve Witkoff"),
    ("Trump", "Donald Trump"),
    ("Donald Trump", "Trump"),
    ("Sir Keir Starmer", "Keir Starmer"),
    ("Secretary of State Marco Rubio", "Marco Rubio"),
    ("Maxime Prévot", "Maxime Prevot"),
    ("Viktor Orbán", "Viktor Orban"),
    ("Ursula von der Leyen", "von der Leyen"),
    ("Mohammed Al\u2011Khulaifi", "Mohammed Al-Khulaifi"),
    ("JD Vance", "J.D. Vance"),
    ("Mr. Putin", "Vladimir Putin"),
    ("Bart De Wever", "De Wever"),
])
def test_names_that_must_match(gold, pred):
    assert q.names_match(gold, pred)
    assert q.names_match(pred, gold)


@pytest.mark.parametrize("gold, pred", [
    ("Donald Trump", "Melania Trump"),
    ("Kirill Dmitriev", "Dmitry Peskov"),
    ("Vladimir Putin", "Vladimir Zelensky"),
    ("Yuri Ushakov", "Yuri Dudkin"),
    ("Volodymyr Zelenskyy", "Olena Zelenska"),
    ("Steve Witkoff", "Jared Kushner"),
    ("Marco Rubio", "Marco"),
    ("Dmytro Lubinets", ""),
    ("Sergei Lavrov", None),
])
def test_names_that_must_not_match(gold, pred):
    assert not q.names_match(gold, pred)


def test_alias_match_only_through_codebook_aliases():
    assert not q.names_match("Kremlin aide", "Yuri Ushakov")
    assert q.names_match("Mr Zelensky", "Volodymyr Zelenskyy")
    assert q.names_match("Ze", "Volodymyr Zelenskyy", aliases=["Ze", "Zelensky"])
    assert not q.names_match("Ze", "Volodymyr Zelenskyy", aliases=["Zelensky"])


@pytest.mark.parametrize("gold, pred, attribution, ok", [
    ("unattributed", None, "unattributed", True),
    ("unattributed", "a senior official", "unattributed", True),
    ("unattributed", "Yuri Ushakov", "explicit", False),
    ("Yuri Ushakov", "Yury Ushakov", "title", True),
    ("Yuri Ushakov", "Yuri Ushakov", "unattributed", False),
    ("Yuri Ushakov", None, "explicit", False),
    ("Kremlin", "the Kremlin", "explicit", True),
    ("Kremlin", "Kremlin", "explicit", True),
    ("Ukraine's Energy Ministry", "Energy Ministry", "explicit", True),
    ("Kyiv city military administration", "city military administration", "explicit", True),
    ("Ukraine", "Ukraine's Energy Ministry", "explicit", False),
    ("White House", "Kremlin", "explicit", False),
    ("Russia's Defence Ministry", "Ukraine's Defence Ministry", "explicit", False),
    ("Kyiv", "Ukraine", "explicit", True),
    ("Moscow", "Russia", "explicit", True),
    ("Washington", "U.S.", "explicit", True),
    ("Moscow", "Ukraine", "explicit", False),
    ("Kremlin", "Russia", "explicit", False),
    ("Kyiv", "Volodymyr Zelensky", "explicit", False),
])
def test_speakers_match(gold, pred, attribution, ok):
    assert q.speakers_match(gold, pred, attribution) is ok


def test_one_to_one_person_matching():
    # two gold Trumps can't both match one predicted "Trump"
    pairs = q.match_one_to_one(["Donald Trump", "Melania Trump"], ["Trump"], q.names_match)
    assert len(pairs) == 1
    # maximum matching, not first-come: "Trump" must not steal "Donald Trump"
    pairs = q.match_one_to_one(["Trump", "Melania Trump"], ["Donald Trump", "Melania Trump"], q.names_match)
    assert len(pairs) == 2


@pytest.mark.parametrize("a, b, expected", [
    ((0, 10), (0, 10), 1.0),
    ((0, 10), (5, 30), 0.5),
    ((0, 10), (10, 20), 0.0),
    ((0, 100), (40, 50), 1.0),     # short span fully inside a long one
    ((0, 10), (8, 30), 0.2),
    ((5, 5), (0, 10), 0.0),
])
def test_span_overlap(a, b, expected):
    assert q.span_overlap(a, b) == pytest.approx(expected)


def test_token_overlap():
    assert q.token_overlap("the talks were useful", "The talks were useful and constructive") == 1.0
    assert q.token_overlap("no compromise on territory", "NATO membership is off the table") == 0.0
    assert q.token_overlap("", "x") == 0.0


def test_greedy_matching_is_one_to_one_by_best_overlap():
    golds = [{"span": (0, 20), "text": "a"}, {"span": (30, 60), "text": "b"}]
    preds = [{"span": (0, 60), "text": "ab"}, {"span": (32, 58), "text": "b"}, {"span": (100, 120), "text": "z"}]
    pairs = q.greedy_match(golds, preds, q.statement_overlap)
    assert [(i, j) for i, j, _ in pairs] == [(0, 0), (1, 1)]
    # below 50 % of the shorter never matches
    assert q.greedy_match([{"span": (0, 10), "text": "a"}], [{"span": (6, 40), "text": "b"}], q.statement_overlap) == []


@pytest.mark.parametrize("needle, hay, span", [
    ("useful", "It was useful.", (7, 13)),
    ("“no compromise”", 'Ushakov said "no compromise" yet', (14, 27)),  # outer quotes optional
    ("U.S.\u00a0side", "the U.S. side said", (4, 13)),
    ("son\u2011in\u2011law", "his son-in-law", (4, 14)),
    ("not there", "nothing", None),
])
def test_locate(needle, hay, span):
    assert q.locate(needle, hay) == span


def test_locate_uses_normalizer_first():
    assert q.locate("A\u2011B", "x A-B", normalize=lambda s: s.replace("\u2011", "-")) == (2, 5)


def test_prf():
    assert q.prf(8, 10, 16) == {"tp": 8, "pred": 10, "gold": 16, "precision": 0.8, "recall": 0.5,
                                "f1": pytest.approx(0.6154, abs=1e-4)}
    assert q.prf(0, 0, 5)["f1"] == 0.0


@pytest.mark.parametrize("gold, pred, ok", [
    ("Associated Press", "AP", True), ("AFP", "Agence France Presse", True),
    ("Reuters", "Reuters", True), ("BBC", "BBC News", True), ("The Guardian", "Guardian", True),
    ("CNN", "Al Jazeera", False), ("TASS", "Unknown outlet (a09)", False),
])
def test_outlets_match(gold, pred, ok):
    assert q.outlets_match(gold, pred) is ok


def _toy_gold():
    return {"x1": {"outlet": None, "persons": ["Yury Ushakov", "Steve Witkoff", "Dana Whitcombe"],
                   "statements": [{"kind": "indirect", "speaker": "Yury Ushakov", "cue": "said",
                                   "text": "the talks were useful"},
                                  {"kind": "indirect", "speaker": "unattributed", "cue": "said",
                                   "text": "no date was set"}],
                   "issues": ["peace_plan", "territory"]}}


def test_scoring_on_toy_frames():
    gold = _toy_gold()
    text = "Ushakov said the talks were useful. No date was set, officials said."
    articles = pd.DataFrame({"article_id": ["x1"], "text": [text], "outlet": ["X"]})
    mentions = pd.DataFrame({"article_id": ["x1"] * 4, "actor": ["Yuri Ushakov", "Yuri Ushakov", "Steve Witkoff", "Kremlin"],
                             "kind": ["person", "person", "person", "org"]})
    res, errs = q.score_persons(gold, mentions, {})
    assert (res["tp"], res["pred"], res["gold"]) == (2, 2, 3)
    assert [e["text"] for e in errs if e["type"] == "FN"] == ["Dana Whitcombe"]
    i = text.index("the talks")
    statements = pd.DataFrame({"article_id": ["x1", "x1"], "start": [i, 0], "end": [i + 21, 7],
                               "text": ["the talks were useful", "Ushakov"], "speaker": ["Yuri Ushakov", "X"],
                               "attribution": ["explicit", "explicit"]})
    det, spk, extra, errs = q.score_statements(gold, statements, articles, {}, None)
    assert (det["tp"], det["pred"], det["gold"]) == (1, 2, 2)
    assert spk["tp"] == 1 and extra["gold_not_located"] == 0
    hits = pd.DataFrame({"article_id": ["x1", "x1", "x1"], "issue": ["peace_plan", "peace_plan", "sanctions"]})
    res, per_issue, errs = q.score_issues(gold, hits)
    assert (res["tp"], res["pred"], res["gold"]) == (1, 2, 2)
    assert per_issue["territory"]["recall"] == 0.0


def test_check_fails_unavailable_and_low_stages():
    report = {"stages": {"persons": {"available": True, "f1": 0.99}, "statements": {"available": False},
                         "speakers": {"available": True, "f1": 0.5}, "issues": {"available": True, "f1": 0.95}}}
    fails = q.check(report)
    assert any(f.startswith("statements") for f in fails)
    assert any(f.startswith("speakers") for f in fails)
    assert not any(f.startswith("persons") or f.startswith("issues") for f in fails)


# ---- the held-out gold itself (part A): well-formed and verbatim

ISSUES = {"territory", "nato_membership", "security_guarantees", "ceasefire", "sanctions", "peace_plan",
          "europe_role", "humanitarian", "energy_economy", "military_escalation"}


def test_gold_a_is_verbatim_and_complete():
    gold = json.loads((HELDOUT / "gold_a.json").read_text(encoding="utf-8"))
    stems = {p.stem for p in HELDOUT.glob("a[0-9][0-9]_*.txt")}
    assert set(gold) == stems and len(stems) == 16
    for aid, g in gold.items():
        text = (HELDOUT / f"{aid}.txt").read_text(encoding="utf-8")
        assert 150 <= len(text.split()) <= 700, aid
        assert set(g["issues"]) <= ISSUES, aid
        assert len(set(g["persons"])) == len(g["persons"]), aid
        for st in g["statements"]:
            assert st["kind"] in ("direct", "indirect"), (aid, st)
            assert st["speaker"] and st["cue"], (aid, st)
            assert st["text"] in text, (aid, st["text"])


def test_merged_gold_loads_and_has_no_duplicate_ids():
    gold = q.load_gold(HELDOUT)
    assert {f"a{i:02d}" for i in range(1, 17)} <= {aid[:3] for aid in gold}
