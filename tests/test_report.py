"""analystkit.report: a self-contained, escaped HTML report."""
from __future__ import annotations

import pandas as pd

import analystkit as ak
from analystkit.cli import main
from analystkit.report import report_html


def test_report_is_offline_and_escapes_article_text(tmp_path):
    df = pd.DataFrame({
        "article_id": ["x1", "x2"],
        "outlet": ["Evil <script>alert(1)</script> Times", "Wire"],
        "text": ['Kremlin says <b>no</b> deal\nMOSCOW — Kremlin aide Yuri Ushakov said the talks were '
                 '"useful <script>alert(2)</script>" but no compromise on territory was found.',
                 "Zelensky warns\nKYIV — Ukrainian President Volodymyr Zelensky said Ukraine would study "
                 "the plan, adding that a ceasefire must come first."],
    })
    html = report_html(ak.load_corpus(df))
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert '<script src="http' not in html and "<script src='http" not in html  # plotly.js embedded, not fetched
    assert html.count("Plotly.newPlot") >= 6               # every chart is there
    for section in ("Corpus", "Actors", "Statements", "Issues"):
        assert f"<h2>{section}</h2>" in html


def test_cli_report(tmp_path):
    out = tmp_path / "r.html"
    assert main(["report", "seeds", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "NENC Media Group" in text and "Unknown outlet (003_95e1eeef8a0d92cd)" in text
