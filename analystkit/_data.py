"""Reading the package's data files (codebooks, word lists) or a user's replacement."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["read_data_text"]


def read_data_text(path, default: str) -> tuple[str, str]:
    """``(text, name)`` of the user's file at ``path``, or of the packaged
    ``analystkit/data/<default>`` when ``path`` is None. ``name`` is what error messages show.
    Raises FileNotFoundError for a missing file, another OSError when it cannot be read, and
    UnicodeDecodeError when it is not UTF-8; each loader turns these into its own error."""
    if path is None:
        return (resources.files("analystkit").joinpath("data", default).read_text(encoding="utf-8"),
                f"analystkit/data/{default}")
    return Path(path).read_text(encoding="utf-8"), str(path)
