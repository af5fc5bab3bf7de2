"""Fast single-character substitutions, shared by the stages that fold text."""
from __future__ import annotations

import re
from typing import Callable, Mapping


def char_mapper(mapping: Mapping) -> Callable[[str], str]:
    """A function equal to ``text.translate(str.maketrans(mapping))``, much faster.

    ``mapping``: single characters (or their code points) -> replacement strings, none of
    which contains a key (so replacing one character never creates another to replace).
    ``str.translate`` with a dict table looks every character up in Python; here a regex
    character class finds which mapped characters occur and ``str.replace`` (C) swaps each.
    """
    table = {chr(k) if isinstance(k, int) else k: v for k, v in mapping.items()}
    if any(len(k) != 1 for k in table):
        raise ValueError("char_mapper: keys must be single characters")
    if any(c in table for v in table.values() for c in (v or "")):
        raise ValueError("char_mapper: a replacement contains a mapped character")
    present = re.compile("[" + "".join(re.escape(k) for k in sorted(table)) + "]")

    def apply(text: str) -> str:
        for c in set(present.findall(text)):
            text = text.replace(c, table[c] or "")
        return text

    return apply
