"""analystkit.articles: reading, normalization, layout and metadata, problems."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import analystkit as ak
from analystkit.articles import parse_layout, read_articles

FIX = Path(__file__).parent / "fixtures" / "articles"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


# -- normalization --------------------------------------------------------------------
@pytest.mark.parametrize("raw, expected", [
    ("full\u2011scale", "full-scale"),                       # non-breaking hyphen
    ("face\u2010to\u2010face", "face-to-face"),               # hyphen
    ("Talks\u00a0end", "Talks end"),                          # no-break space
    ("10\u202f000", "10 000"),                                # narrow no-break space
    ("Ushakov’s \\ extremely", "Ushakov’s extremely"),        # stray backslash (seed 003)
    ('he said \\"no\\"', 'he said "no"'),                     # escaped quotes
    ("co\u00adoperation", "cooperation"),                     # soft hyphen
    ("zero\u200bwidth", "zerowidth"),
    ("a\r\nb\rc", "a\nb\nc"),
    ("a  b\t c ", "a b c"),
    ("p1\n\n\n\np2", "p1\n\np2"),
    ("AT&amp;T &#8220;deal&#8221;", "AT&T “deal”"),
    ("“mixed\" quotes'", "“mixed\" quotes'"),                # quote marks are kept as written
    ("e\u0301", "\u00e9"),                                    # NFC
    ("", ""),
])
def test_normalize_text(raw, expected):
    assert ak.normalize_text(raw) == expected


def test_normalize_is_idempotent_on_seeds():
    for path in SEEDS.glob("*.txt"):
        once = ak.normalize_text(path.read_text(encoding="utf-8"))
        assert ak.normalize_text(once) == once
        assert "\u2011" not in once and "\u00a0" not in once and " \\ " not in once


# -- layout and metadata ----------------------------------------------------------------
def _kinds(text):
    lay = parse_layout(ak.normalize_text(text))
    return [k for k, *_ in lay.spans], lay


def test_seed_000_layout_and_metadata():
    arts, probs = read_articles(SEEDS)
    a = arts.set_index("article_id").loc["000_8dc717fc6404ebb9"]
    assert a.title == "Russia-US Moscow Talks End Without Breakthrough as Territorial Rift Persists"
    assert a.outlet == "NENC Media Group" and a.outlet_source == "byline"
    assert a.author == "Nick Ravenshade"
    assert a.dateline == "MOSCOW"
    assert a.cited_sources == ["Al Jazeera", "NBC News", "Sky News", "iNews", "Al Arabiya"]
    assert a.subheadings[:2] == ["What happened in Moscow", "Diplomatic signals and public posture"]
    assert len(a.subheadings) == 5
    assert probs.empty


def test_seed_003_unknown_outlet_gets_honest_distinct_label():
    arts, _ = read_articles(SEEDS)
    a = arts.set_index("article_id").loc["003_95e1eeef8a0d92cd"]
    assert a.outlet == "Unknown outlet (003_95e1eeef8a0d92cd)" and a.outlet_source == "unknown"
    assert a.subheadings == ["The Issues", "Blockages: Territory and NATO", "Moscow and European signs",
                             "Kyiv and Washington take sides", "What’s at stake in this round of talks",
                             "What happens thereafter"]


@pytest.mark.parametrize("text, kinds", [
    ("Headline here\nMOSCOW — Body sentence one. Two.\nWritten by A B for C D.\nComments ()",
     ["headline", "body", "byline", "trailer"]),
    ("Title\nBy Jane Doe\nKYIV (AP) — Body text that is long enough to be a paragraph of news.\n"
     "Sources: Reuters, AP.", ["headline", "byline", "body", "sources"]),
    ("Kremlin says no deal\nRussia and the US failed to agree on the territorial question in Moscow talks\n"
     "MOSCOW — First body paragraph with words.\nSecond body paragraph here, it is long.\nThird one.",
     ["headline", "standfirst", "body", "body", "body"]),
    ("Title\nFirst body paragraph that is long enough to count as a paragraph of body text.\n"
     "What comes next\nAnother long body paragraph follows the subheading with many words in it.",
     ["headline", "body", "subheading", "body"]),
    ("# Title\n\n## Sub\n\nBody text of the post, long enough to be a body paragraph here.\n\n"
     "**Bold heading**\n\nMore body text after the bold heading in a markdown post.",
     ["headline", "subheading", "body", "subheading", "body"]),
    ("Title\nBody paragraph one with words enough to count as the body of the story.\n"
     "Vladimir Putin in Moscow on Tuesday. Photo: Alexander Kazakov/AFP\nRead more:\nAnother story title\n"
     "Advertisement", ["headline", "body", "caption", "trailer", "trailer", "trailer"]),
    ("By the end of the meeting, both sides had agreed to talk again. That was all.",
     ["body"]),  # "By the end" is not a byline; a single sentence is not a headline
])
def test_layout_kinds(text, kinds):
    got, _ = _kinds(text)
    assert got == kinds


def test_messy_fixtures_metadata():
    arts, probs = read_articles(FIX / "messy")
    a = arts.set_index("article_id")
    wire = a.loc["wire_byline_top"]
    assert wire.author == "Guy Faulconbridge, Andrew Osborn"
    assert wire.published == "2025-12-03"
    assert wire.dateline == "MOSCOW, Dec 3 (Reuters)"
    assert wire.outlet == "Reuters" and wire.outlet_source == "dateline"
    assert a.loc["truncated", "truncated"] and not a.loc["seed_like", "truncated"]
    assert a.loc["markdown_post", "title"] == "No deal in Moscow: what we know"
    assert a.loc["markdown_post", "subheadings"] == ["The meeting", "What comes next"]
    assert probs.empty


def test_layout_spans_slice_back_to_text():
    for path in list((FIX / "messy").iterdir()) + list(SEEDS.glob("*.txt")):
        text = ak.normalize_text(path.read_text(encoding="utf-8"))
        for kind, s, e, cs, ce in parse_layout(text).spans:
            assert s <= cs <= ce <= e <= len(text)
            assert text[cs:ce] == text[cs:ce].strip()


# -- problems: nothing silently dropped -------------------------------------------------
def test_bad_inputs_each_become_article_or_problem():
    arts, probs = read_articles(FIX / "bad")
    reasons = dict(zip(probs["path"].map(lambda p: Path(p).name), probs["reason"]))
    assert reasons["empty.txt"] == "empty"
    assert reasons["blank.txt"] == "empty"
    assert reasons["binary.txt"] == "binary"
    assert reasons["report.pdf"] == "unsupported_type"
    assert reasons["cp1252.txt"] == "decoded_with_fallback"
    assert reasons["mojibake.txt"] == "repaired_mojibake"
    assert reasons["original.txt"] == "duplicate"
    assert "copy_of_original" in probs.loc[probs["reason"] == "duplicate", "detail"].iloc[0]
    # every input file is an article or a problem row
    files = {p.name for p in (FIX / "bad").iterdir()}
    accounted = set(arts["path"].map(lambda p: Path(p).name)) | set(reasons)
    assert files == accounted
    # the cp1252 file was decoded, not dropped
    text = arts.set_index("article_id").loc["cp1252", "text"]
    assert "Ukraine’s foreign minister" in text and "“unacceptable”" in text
    assert "Russia’s envoy" in arts.set_index("article_id").loc["mojibake", "text"]


def test_missing_path_raises_naming_it(tmp_path):
    with pytest.raises(ak.LoadError, match="no_such_folder"):
        read_articles(tmp_path / "no_such_folder")


def test_missing_file_in_a_list_is_a_problem(tmp_path):
    ok = tmp_path / "a.txt"
    ok.write_text("Title\nBody text here.", encoding="utf-8")
    arts, probs = read_articles([ok, tmp_path / "gone.txt"])
    assert list(arts["article_id"]) == ["a"]
    assert probs.iloc[0]["reason"] == "missing" and probs.iloc[0]["path"].endswith("gone.txt")


def test_empty_folder_raises(tmp_path):
    with pytest.raises(ak.LoadError, match="no files"):
        read_articles(tmp_path)


# -- tables and frames -----------------------------------------------------------------
def test_csv_without_text_column_names_file_and_columns(tmp_path):
    p = tmp_path / "articles.csv"
    pd.DataFrame({"headline": ["a"], "when": ["2025-12-02"]}).to_csv(p, index=False)
    with pytest.raises(ak.LoadError) as err:
        read_articles(p)
    assert "articles.csv" in str(err.value) and "no text column" in str(err.value) and "headline" in str(err.value)


@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_table_inputs_with_metadata_columns(tmp_path, suffix):
    df = pd.DataFrame({
        "id": ["x1", "x2", "x3"],
        "body": ["Kremlin says no deal\nMOSCOW — Ushakov said the talks were useful.",
                 "Second story\nKYIV — Zelensky said Ukraine would study the plan.", ""],
        "source": ["Reuters", "", "AP"],
        "date": ["2025-12-03", "2025-12-03", ""],
    })
    p = tmp_path / f"arts.{suffix}"
    {"csv": lambda: df.to_csv(p, index=False), "jsonl": lambda: df.to_json(p, orient="records", lines=True),
     "parquet": lambda: df.to_parquet(p)}[suffix]()
    arts, probs = read_articles(p)
    assert list(arts["article_id"]) == ["x1", "x2"]
    assert list(arts["outlet"]) == ["Reuters", "Unknown outlet (x2)"]
    assert arts["published"].iloc[0] == "2025-12-03"
    assert arts["title"].iloc[0] == "Kremlin says no deal"
    assert list(probs["reason"]) == ["empty"] and probs["path"].iloc[0].endswith("#row=2")


def test_dataframe_input_and_text_column_option():
    df = pd.DataFrame({"prose": ["Headline\nBody of the story is here."], "outlet": ["BBC"]})
    with pytest.raises(ak.LoadError, match="no text column"):
        read_articles(df)
    arts, _ = read_articles(df, text_column="prose")
    assert arts["outlet"].iloc[0] == "BBC" and arts["article_id"].iloc[0] == "row-00000"


def test_sidecar_metadata_fills_and_overrides(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns(".*"))
    (tmp_path / "seeds" / "metadata.csv").write_text(
        "article_id,outlet,published,url,desk\n003_95e1eeef8a0d92cd,Example Wire,2025-12-03,,europe\n"
        "000_8dc717fc6404ebb9,,,https://nenc.example/a,\nmissing_id,X,,,\n", encoding="utf-8")
    arts, probs = read_articles(tmp_path / "seeds")
    a = arts.set_index("article_id")
    assert a.loc["003_95e1eeef8a0d92cd", "outlet"] == "Example Wire"
    assert a.loc["003_95e1eeef8a0d92cd", "outlet_source"] == "metadata"
    assert a.loc["003_95e1eeef8a0d92cd", "published"] == "2025-12-03"
    assert a.loc["003_95e1eeef8a0d92cd", "desk"] == "europe"        # extra columns carried along
    assert a.loc["000_8dc717fc6404ebb9", "outlet"] == "NENC Media Group"  # empty cell: parsed value kept
    assert a.loc["000_8dc717fc6404ebb9", "url"] == "https://nenc.example/a"
    assert list(probs["reason"]) == ["metadata_unmatched"]
    assert len(arts) == 2  # metadata.csv is not an article


def test_seed_metadata_leaves_unknowns_empty():
    meta = pd.read_csv(SEEDS / "metadata.csv", dtype=str, keep_default_na=False)
    assert set(meta["article_id"]) == {"000_8dc717fc6404ebb9", "003_95e1eeef8a0d92cd"}
    assert (meta.drop(columns="article_id") == "").all().all()  # nothing invented


def test_duplicate_stems_get_unique_ids(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text("One\nFirst text here.", encoding="utf-8")
    (tmp_path / "b" / "story.txt").write_text("Two\nSecond text here.", encoding="utf-8")
    arts, _ = read_articles(tmp_path)
    assert arts["article_id"].is_unique and len(arts) == 2


def test_progress_bar_is_optional(tmp_path, capsys):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Title {i}\nBody {i} here.", encoding="utf-8")
    arts, _ = read_articles(tmp_path, progress=True)
    assert len(arts) == 3
    assert "reading articles" in capsys.readouterr().err


@pytest.mark.parametrize("text, field, expected", [
    ("Title here\nBy KATHERINE MILLS and IVAN DOROSH Associated Press\nMOSCOW (AP) — Body text.", "outlet",
     "Associated Press"),
    ("Title here\nBy Gary Hollins, Foreign Affairs Editor\nBody text of the story.", "author", "Gary Hollins"),
    ("Title here\nFrom CNN's Olga Voronina and Mark Ellery\nBody text of the story.", "outlet", "CNN"),
    ("Title here\nFrom CNN's Olga Voronina and Mark Ellery\nBody text of the story.", "author",
     "Olga Voronina, Mark Ellery"),
    ("Title here\nMOSCOW, December 3. /TASS/. The talks were useful, Ushakov said.", "outlet", "TASS"),
    ("Title here\nUkrainska Dumka | Politics | 03.12.2025, 21:47\nKYIV — Body text.", "outlet", "Ukrainska Dumka"),
    ("Title here\nWASHINGTON (NewsWire Daily) — Rubio said the talks were productive.", "outlet", "NewsWire Daily"),
    ("Title here\nBody of the story here.\n(With inputs from Reuters, PTI)", "cited_sources", ["Reuters", "PTI"]),
    ("Title here\nWed 3 Dec 2025 10.41 GMT\nBody of the story here.", "published", "2025-12-03"),
    ("Title here\n(Reuters) - Russia said on Monday that talks would go on.", "outlet", "Reuters"),
    ("Title here\n(Bloomberg) -- Oil rose as traders weighed a deal.", "outlet", "Bloomberg"),
    ("Title here\nPARIS (FRANCE 24 with AFP) – Macron said Europe must be at the table.", "outlet", "FRANCE 24"),
    ("Title here\n- a bullet line that is not a dateline at all here.", "dateline", None),
])
def test_metadata_patterns(text, field, expected):
    arts, _ = read_articles(pd.DataFrame({"text": [text]}))
    assert arts[field].iloc[0] == expected


@pytest.mark.parametrize("text, kinds", [
    ("OPINION\nA peace plan written in Moscow will not end this war\nBy Jane Roe\n"
     "Jane Roe is a former ambassador to NATO.\nThe body of the column starts here and runs on for a while.",
     ["byline", "headline", "byline", "byline", "body"]),
    ("Title\nBody paragraph with enough words to count as a paragraph of the story.\n"
     "Associated Press writers Illia Novikov in Kyiv contributed.\nbur-vl/gm",
     ["headline", "body", "byline", "trailer"]),
    ("Title\nBody paragraph with enough words to count as a paragraph of the story.\n"
     "Explore more on these topics\nUkraine\nVladimir Putin\nThe views expressed in this column are the author's own.",
     ["headline", "body", "trailer", "trailer", "trailer", "trailer"]),
    ("Title\nBody paragraph with enough words to count as a paragraph of the story.\n👁 48.2K 🔁 1.1K\n"
     "Unsubscribe | Manage preferences", ["headline", "body", "trailer", "trailer"]),
])
def test_layout_kinds_real_world_furniture(text, kinds):
    got, _ = _kinds(text)
    assert got == kinds


def test_tables_inside_a_folder_that_are_not_articles_are_problems(tmp_path):
    (tmp_path / "a.txt").write_text("Title\nBody text here.", encoding="utf-8")
    (tmp_path / "gold.json").write_text('{"a": {"persons": []}}', encoding="utf-8")
    arts, probs = read_articles(tmp_path)
    assert list(arts["article_id"]) == ["a"]
    assert list(probs["reason"]) == ["not_articles"] and "no text column" in probs["detail"].iloc[0]


@pytest.mark.parametrize("text", [
    "", "plain", "non\u2011breaking \u00a0 spaces\u2009and\u200bzero\u00adwidth",
    "\u2029para\u2028line\x0b\x0c\x85\t\u3000end", "\ufeffBOM " + "\u2010\u2012" * 3,
    "".join(chr(c) for c in range(0x2000, 0x2070)) + "".join(chr(c) for c in range(0x80, 0x100)),
])
def test_map_chars_is_the_translate_table(text):
    from analystkit.articles import _CHAR_MAP, _map_chars
    assert _map_chars(text) == text.translate(str.maketrans(_CHAR_MAP))
