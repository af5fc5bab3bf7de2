"""analystkit._chars: the fast single-character substitution shared by the folding stages."""
from __future__ import annotations

import random

import pytest

from analystkit._chars import char_mapper

MAPPING = {"\u2011": "-", "\u00ad": "", "\u00a0": " ", "\u2029": "\n\n", 0x2019: "'", "\t": " "}


@pytest.mark.parametrize("text", ["", "plain ascii", "a\u2011b\u00adc\u00a0d\u2029e’f\tg",
                                  "’’’\u2011\u2011", "\u00ad" * 5])
def test_char_mapper_equals_translate(text):
    assert char_mapper(MAPPING)(text) == text.translate(str.maketrans(MAPPING))


def test_char_mapper_random_texts():
    rng = random.Random(5)
    alphabet = "ab -'\n" + "".join(chr(k) if isinstance(k, int) else k for k in MAPPING)
    apply = char_mapper(MAPPING)
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20)))
        assert apply(text) == text.translate(str.maketrans(MAPPING))


@pytest.mark.parametrize("bad", [{"ab": "x"}, {"a": "b", "b": "c"}])
def test_char_mapper_rejects_what_replace_cannot_do(bad):
    with pytest.raises(ValueError):
        char_mapper(bad)
