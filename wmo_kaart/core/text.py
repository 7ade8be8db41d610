"""Text as people type it: one fold for every comparison of names (search, places, column headers).

"Coöperatie", "cooperatie" and "COOPERATIE" fold to the same text; punctuation separates words.
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\W_]+")


def fold(text) -> str:
    """Return `text` without case and accents, its words separated by one space."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", plain).strip()


def words(text) -> list[str]:
    """Return the folded words of `text` (what a search looks for)."""
    return fold(text).split()
