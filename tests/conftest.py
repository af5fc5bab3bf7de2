"""Shared fixtures. Test files mirror modules: tests/test_<module>.py."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def seeds_corpus():
    import analystkit as ak

    return ak.load_corpus(SEEDS)


@pytest.fixture(scope="session")
def messy_corpus():
    import analystkit as ak

    return ak.load_corpus(FIXTURES / "articles" / "messy")
