"""analystkit.cli: export and errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analystkit.cli import main

ROOT = Path(__file__).resolve().parent.parent
BASE = "articles,problems,paragraphs,sentences,tokens"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_export_base_frames(tmp_path, fmt, capsys):
    assert main(["export", str(ROOT / "seeds"), "--out", str(tmp_path), "--format", fmt, "--frames", BASE]) == 0
    for name in BASE.split(","):
        assert (tmp_path / f"{name}.{fmt}").is_file()
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    arts = read(tmp_path / f"articles.{fmt}")
    toks = read(tmp_path / f"tokens.{fmt}")
    assert len(arts) == 2 and len(toks) > 2000
    text = dict(zip(arts.article_id, arts.text))
    row = toks.iloc[100]
    assert text[row.article_id][row.start:row.end] == row.token
    if fmt == "csv":
        assert json.loads(arts.loc[arts.article_id == "000_8dc717fc6404ebb9", "cited_sources"].iloc[0])[0] == "Al Jazeera"


def test_export_writes_every_frame_the_library_has(tmp_path):
    from analystkit.corpus import FRAME_NAMES

    assert main(["export", str(ROOT / "seeds"), "--out", str(tmp_path)]) == 0
    assert {p.stem for p in tmp_path.iterdir()} == set(FRAME_NAMES)


@pytest.mark.parametrize("args, needle", [
    (["export", "no/such/folder", "--out", "x"], "no/such/folder: no such file or folder"),
    (["export", "{csv}", "--out", "x"], "no text column"),
    (["export", "{empty}", "--out", "x"], "no article could be read"),
    (["export", "{seeds}", "--out", "x", "--frames", "bogus"], "unknown frame"),
])
def test_bad_input_exits_nonzero_with_one_line(tmp_path, args, needle, capsys):
    csv = tmp_path / "t.csv"
    csv.write_text("headline,when\na,b\n", encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "a.txt").write_bytes(b"")
    args = [a.format(csv=csv, empty=empty, seeds=ROOT / "seeds") for a in args]
    args = [str(tmp_path / "out") if a == "x" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("analystkit: error:") and needle in err


def test_console_script_runs(tmp_path):
    out = subprocess.run([sys.executable, "-m", "analystkit.cli", "export", str(ROOT / "seeds"), "--out",
                          str(tmp_path), "--frames", "articles"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "articles.csv").is_file()
