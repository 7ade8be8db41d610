"""Map glyphs from our own server: signed-distance-field font ranges in MapLibre's glyph format.

Map text (cluster counts, the search point's name, badges) needs glyphs. Plotly's map styles take
them from a third-party font server, which residents' browsers must not contact. We draw them
ourselves from our bundled map font (`core.fonts`, the same as our label tiles), so every font stack a map asks for gets the same glyphs.

The format is MapLibre's `glyphs.proto`: per glyph an 8-bit distance field with a 3-pixel buffer
around a 24-pixel em, value 192 on the outline. A few private-use code points draw our own signs.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import fonts

EM = 24  # MapLibre's glyph size
BUFFER = 3  # pixels of distance field around each glyph
RADIUS = 8.0  # distance (px) covered by the 0-255 range
CUTOFF = 0.25  # 192/256: the outline's value
SCALE = 4  # draw at 4x and sample the distance at pixel centres: smooth outlines
ASCENT = 20  # baseline offset MapLibre's layout expects for a 24-pixel em
LAST = 0xFFFF  # the Basic Multilingual Plane

WARNING = 0xE000  # a warning triangle with an exclamation mark cut out (contract badges)
SYMBOLS = {WARNING}
# Latin-1 signs no map label needs (¡¢£¤¥¦§¨©ª¬­®¯±²³´µ¶·¸¹º¼½¾¿): left out, every map's first visit
# loads the range they are in; « » ° stay
UNUSED = frozenset(range(0xA1, 0xC0)) - {0xAB, 0xBB, 0xB0}
STEP = 4  # distance values rounded to 4 of 256 (1/8 px): invisible, and a quarter smaller compressed


class GlyphError(ValueError):
    """A glyph range that is not one MapLibre asks for (start a multiple of 256, 256 wide)."""


def _warning_mask(size: int):
    """Return a mask of the warning sign at `size` pixels: a triangle with '!' cut out."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    draw.polygon([(size / 2, 0), (size - 1, size - 1), (0, size - 1)], fill=255)
    bar = size * 0.09
    draw.rectangle([size / 2 - bar, size * 0.34, size / 2 + bar, size * 0.70], fill=0)
    draw.ellipse([size / 2 - bar * 1.2, size * 0.76, size / 2 + bar * 1.2, size * 0.76 + bar * 2.4], fill=0)
    return image


def _mask(code: int):
    """Return (mask at SCALE x, left, top above the baseline, advance), in 1x pixels; None for an empty glyph."""
    from PIL import Image, ImageDraw

    if code in SYMBOLS:
        side = EM - 4
        return _warning_mask(side * SCALE), 1, side - 2, side + 2
    char = chr(code)
    font, big = fonts.font(EM), fonts.font(EM * SCALE)
    advance = round(font.getlength(char))
    left, top, right, bottom = big.getbbox(char, anchor="ls")
    if right <= left or bottom <= top:
        return None, 0, 0, advance
    # whole 1x pixels, so the glyph's position is exact after sampling
    x0, y0 = left // SCALE, top // SCALE
    x1, y1 = -(-right // SCALE), -(-bottom // SCALE)
    image = Image.new("L", ((x1 - x0) * SCALE, (y1 - y0) * SCALE), 0)
    ImageDraw.Draw(image).text((-x0 * SCALE, -y0 * SCALE), char, font=big, fill=255, anchor="ls")
    return image, x0, -y0, advance


def distance_field(mask) -> tuple[bytes, int, int]:
    """Return the distance field of a SCALE-x mask as MapLibre bytes, with its width and height in 1x pixels
    (without the buffer)."""
    from scipy.ndimage import distance_transform_edt

    pad = BUFFER * SCALE
    inside = np.pad(np.asarray(mask) >= 128, pad)
    outside_distance = distance_transform_edt(~inside)
    inside_distance = distance_transform_edt(inside)
    signed = (outside_distance - inside_distance) / SCALE  # px at 1x, positive outside
    sample = signed[SCALE // 2::SCALE, SCALE // 2::SCALE]
    values = np.clip(np.round(255 - 255 * (sample / RADIUS + CUTOFF)), 0, 255).astype(np.uint8) // STEP * STEP + STEP // 2
    height, width = values.shape
    return values.tobytes(), width - 2 * BUFFER, height - 2 * BUFFER


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, wire: int, payload: bytes) -> bytes:
    return _varint(number << 3 | wire) + payload


def _uint(number: int, value: int) -> bytes:
    return _field(number, 0, _varint(value))


def _sint(number: int, value: int) -> bytes:
    return _field(number, 0, _varint((value << 1) ^ (value >> 63) if value < 0 else value << 1))


def _bytes(number: int, value: bytes) -> bytes:
    return _field(number, 2, _varint(len(value)) + value)


def _glyph(code: int) -> bytes | None:
    """Return one encoded glyph message, or None when the font has no such character."""
    if code not in SYMBOLS and (code < 32 or 0x7F <= code < 0xA0 or code in UNUSED or not fonts.has_char(code)):
        return None
    mask, left, top, advance = _mask(code)
    if mask is None:  # a space: metrics only
        return _uint(1, code) + _uint(3, 0) + _uint(4, 0) + _sint(5, 0) + _sint(6, -ASCENT) + _uint(7, advance)
    bitmap, width, height = distance_field(mask)
    return (_uint(1, code) + _bytes(2, bitmap) + _uint(3, width) + _uint(4, height) + _sint(5, left)
            + _sint(6, top - ASCENT) + _uint(7, advance))


def glyph_range(fontstack: str, start: int, end: int) -> bytes:
    """Return the PBF of glyphs start..end (MapLibre asks 256 at a time) named for `fontstack`."""
    if start % 256 or end != start + 255 or not 0 <= start <= LAST:
        raise GlyphError(f"{start}-{end}")
    glyphs = _encoded_range(start)
    stack = _bytes(1, fontstack[:200].encode()) + _bytes(2, f"{start}-{end}".encode()) + glyphs
    return _bytes(1, stack)


@lru_cache(maxsize=16)
def _encoded_range(start: int) -> bytes:
    return b"".join(_bytes(3, g) for code in range(start, start + 256) if (g := _glyph(code)) is not None)
