"""The Dask engine (analystkit.scale): identical results to the pandas path, on a LocalCluster
with 2 worker processes; and the core library never imports dask."""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from analystkit import scale
from analystkit.corpus import FRAME_NAMES, load_corpus

pytest.importorskip("distributed", reason="the Dask engine is the optional 'scale' extra")

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SORT_KEYS = ["article_id", "paragraph_id", "sentence_id", "token_id", "statement_id", "start",
             "end", "issue", "term", "actor", "path", "reason", "detail", "outlet"]


# the frames the Dask engine writes: every per-article frame plus coverage (the comparison
# frames of analystkit.compare are corpus-wide and are computed from an export, not by partition)
FRAMES = scale.FRAMES


def test_dask_engine_writes_every_per_article_frame_of_the_library():
    assert set(FRAME_NAMES) - set(FRAMES) == {"statement_groups", "syndication", "near_duplicates",
                                              "sourcing_profile"}


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=":0", silence_logs=40)
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


@pytest.fixture(scope="module")
def messy_corpus(tmp_path_factory):
    """Seeds + synthetic articles, with the cases partitions make hard: duplicates within and
    across partitions (and a triple), two files with the same stem, an empty file, an
    unsupported file, a metadata sidecar with a row that matches nothing."""
    d = tmp_path_factory.mktemp("messy") / "corpus"
    shutil.copytree(SEEDS, d, ignore=shutil.ignore_patterns(".*"))  # not the notebooks' cache
    (d / "metadata.csv").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate_corpus
    generate_corpus.generate(14, d / "gen", seed=3, duplicates=0.0)
    seed_text = (SEEDS / "003_95e1eeef8a0d92cd.txt").read_text(encoding="utf-8")
    (d / "zz_copy_of_003.txt").write_text(seed_text, encoding="utf-8")          # across partitions
    (d / "zz_copy2_of_003.txt").write_text(seed_text + "\n\n", encoding="utf-8")  # same after folding
    gen = sorted((d / "gen").glob("*.txt"))
    (d / "gen" / "b_copy.txt").write_text(gen[0].read_text(encoding="utf-8"), encoding="utf-8")
    (d / "gen" / "art_00001_dup.txt").write_text(gen[1].read_text(encoding="utf-8"), encoding="utf-8")
    (d / "same.txt").write_text("Kyiv talks\n\nOfficials in Kyiv said the talks went on.\n", encoding="utf-8")
    (d / "gen" / "same.txt").write_text("Other story\n\nMoscow said nothing new.\n", encoding="utf-8")
    (d / "empty.txt").write_text("", encoding="utf-8")
    (d / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (d / "metadata.csv").write_text(
        "article_id,outlet,title\n003_95e1eeef8a0d92cd,Test Outlet,\nnot_there,Nobody,\n", encoding="utf-8")
    return d


def _read_dataset(folder: pathlib.Path) -> pd.DataFrame:
    """The partitioned dataset as an analyst reads it: one ``read_parquet`` of the folder."""
    assert sorted(folder.glob("part-*.parquet")), f"no part files in {folder}"
    return pd.read_parquet(folder)


def _value(v):
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (list, tuple, np.ndarray)):
        return tuple(_value(x) for x in v)
    return v


def _canonical(df: pd.DataFrame) -> pd.DataFrame:
    """Values, not storage: categoricals and strings as Python objects, missing as None,
    lists as tuples. Numbers and booleans keep their dtype (and are compared with it)."""
    df = df.copy()
    for c in df.columns:
        dt = df[c].dtype
        if isinstance(dt, pd.CategoricalDtype) or dt == object or pd.api.types.is_string_dtype(dt):
            df[c] = pd.Series([_value(v) for v in df[c].astype(object)], index=df.index, dtype=object)
    keys = [k for k in SORT_KEYS if k in df.columns]
    if keys:
        df = df.sort_values(keys, kind="stable", key=lambda s: s.astype(str) if s.dtype == object else s)
    return df.reset_index(drop=True)


def _assert_same_as_pandas(source, out: pathlib.Path, frames=FRAMES):
    expected = load_corpus(source).frames(frames)
    for name in frames:
        got = _read_dataset(out / name)
        exp = expected[name]
        assert list(got.columns) == list(exp.columns), name
        pd.testing.assert_frame_equal(_canonical(got), _canonical(exp), obj=name)


def test_identical_to_pandas_path_on_messy_corpus(client, messy_corpus, tmp_path):
    report: dict = {}
    out = scale.export_dask(messy_corpus, tmp_path / "out", scheduler=client,
                            files_per_partition=3, frames=FRAMES, _report=report)
    assert report["npartitions"] > 4
    assert report["cross_partition_duplicates"] >= 1        # the global duplicate step ran
    _assert_same_as_pandas(messy_corpus, out)
    probs = _read_dataset(out / "problems")
    dups = probs[probs["reason"] == "duplicate"]
    # every copy points at the first article, never at another copy
    assert set(dups["detail"]) <= {"same text as article '003_95e1eeef8a0d92cd'",
                                   "same text as article 'art_00000'",
                                   "same text as article 'art_00001'"}
    arts = _read_dataset(out / "articles")
    assert arts["article_id"].is_unique
    assert {"same", "gen/same_txt"} <= set(arts["article_id"]) or \
        len([a for a in arts["article_id"] if "same" in a]) == 2
    assert "not_there" in " ".join(probs.loc[probs["reason"] == "metadata_unmatched", "detail"])


@pytest.mark.parametrize("npartitions", [1, 2, 7])
def test_partitioning_does_not_change_results(client, messy_corpus, tmp_path, npartitions):
    out = scale.export_dask(messy_corpus, tmp_path / "out", scheduler=client,
                            npartitions=npartitions, frames=FRAMES)
    _assert_same_as_pandas(messy_corpus, out)


def test_default_starts_and_closes_a_local_cluster(tmp_path):
    """scheduler=None: a LocalCluster with 2 worker processes is started and closed."""
    report: dict = {}
    out = scale.export_dask(SEEDS, tmp_path / "out", frames=FRAMES, _report=report)
    assert out == (tmp_path / "out").resolve()
    assert report["articles"] == 2
    assert report["worker_peak_mb"] > 0
    _assert_same_as_pandas(SEEDS, out)


def test_rerun_replaces_old_parts(client, messy_corpus, tmp_path):
    out = tmp_path / "out"
    scale.export_dask(messy_corpus, out, scheduler=client, files_per_partition=2, frames=FRAMES)
    scale.export_dask(messy_corpus, out, scheduler=client, files_per_partition=50, frames=FRAMES)
    _assert_same_as_pandas(messy_corpus, out)


def test_relative_paths_are_reported_as_given(client, messy_corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(messy_corpus.parent)
    out = scale.export_dask("corpus", tmp_path / "out", scheduler=client, files_per_partition=4,
                            frames=("articles", "problems"))
    arts = _read_dataset(out / "articles")
    assert all(p.startswith("corpus/") for p in arts["path"])
    _assert_same_as_pandas("corpus", out, frames=("articles", "problems"))


def test_csv_format_writes_parts(client, tmp_path):
    out = scale.export_dask(SEEDS, tmp_path / "out", scheduler=client, fmt="csv",
                            frames=("articles", "sentences"))
    got = pd.concat([pd.read_csv(p) for p in sorted((out / "sentences").glob("part-*.csv"))])
    assert len(got) == len(load_corpus(SEEDS).sentences)


@pytest.mark.parametrize("kwargs, error", [
    ({"fmt": "xlsx"}, "fmt must be"),
    ({"frames": ("tokens", "nope")}, "unknown frame"),
])
def test_bad_options(tmp_path, kwargs, error):
    with pytest.raises(ValueError, match=error):
        scale.export_dask(SEEDS, tmp_path / "out", **kwargs)


def test_missing_source_and_dataframe_source(tmp_path):
    from analystkit.articles import LoadError
    with pytest.raises(LoadError, match="no such file"):
        scale.export_dask(tmp_path / "nope", tmp_path / "out")
    with pytest.raises(TypeError, match="reads files"):
        scale.export_dask(pd.DataFrame({"text": ["x"]}), tmp_path / "out")


def test_plan_keeps_reading_order_and_ids(messy_corpus):
    from analystkit.articles import read_articles
    plan = scale.plan_partitions(messy_corpus, files_per_partition=4)
    ids = [aid for part in plan["partitions"] for _, aid in part if aid is not None]
    arts, probs = read_articles(messy_corpus)
    dup_paths = set(probs.loc[probs["reason"] == "duplicate", "path"])
    expected = list(arts["article_id"])
    assert [i for i, (p) in zip(ids, [p for part in plan["partitions"] for p, a in part if a is not None])
            if str(p) not in dup_paths and not str(p).endswith("empty.txt")] == expected


def test_combine_coverage_matches_issues_coverage_formula():
    per_article = pd.DataFrame({"article_id": ["a", "b", "c"], "outlet": ["X", "X", "Y"],
                                "sentences": [4, 6, 5], "tokens": [40, 60, 50]})
    per_issue = pd.DataFrame({"article_id": ["a", "b", "b"], "issue": ["t", "t", "n"],
                              "hits": [2, 1, 3], "sentences": [1, 1, 2]})
    cov = scale.combine_coverage(per_article, per_issue, ["t", "n", "z"])
    row = cov[(cov["outlet"] == "X") & (cov["issue"] == "t")].iloc[0]
    assert (row["hits"], row["articles"], row["sentences"]) == (3, 2, 2)
    assert row["share_of_sentences"] == pytest.approx(2 / 10)
    assert row["per_1k_tokens"] == pytest.approx(3 * 1000 / 100)
    assert row["share_of_articles"] == pytest.approx(1.0)
    assert len(cov) == 2 * 3                                   # zeros included
    assert cov[(cov["outlet"] == "Y")]["hits"].sum() == 0


def test_core_library_never_imports_dask():
    code = (
        "import sys, analystkit as ak\n"
        "import analystkit.articles, analystkit.tokens, analystkit.corpus, analystkit.cache, analystkit.cli\n"
        "c = ak.load_corpus('seeds'); c.tokens\n"
        "for m in ('actors', 'statements', 'sentiment', 'issues', 'compare', 'plots', 'widgets'):\n"
        "    try: __import__('analystkit.' + m)\n"
        "    except ImportError: pass\n"
        "bad = sorted(m for m in sys.modules if m == 'dask' or m.startswith(('dask.', 'distributed')))\n"
        "print(bad)\n"
        "assert not bad, bad\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
