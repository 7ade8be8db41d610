"""The one font of our map text: DejaVu Sans (Latin subset, Bitstream Vera licence), bundled in
`core/data/fonts/` so label tiles and map glyphs draw é, ë and 's-Hertogenbosch the same on every
machine, without a font download."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_FILE = Path(__file__).parent / "data" / "fonts" / "DejaVuSans-Latin.ttf"


@lru_cache(maxsize=16)
def font(size: int):
    """Return the map font at `size` pixels."""
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_FILE), size=size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=4096)
def has_char(code: int, size: int = 24) -> bool:
    """Whether the font draws `code` rather than its 'missing' box."""
    face = font(size)
    missing = chr(0x10FFFD)
    char = chr(code)
    return (face.getmask(char).getbbox(), face.getlength(char)) != (face.getmask(missing).getbbox(), face.getlength(missing))
