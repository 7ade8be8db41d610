"""Read every page of an OGC API – Features items request, following `next` links (PDOK and the like)."""

from __future__ import annotations

from collections.abc import Iterator

from .geocode import Fetch, GeocoderUnavailable

MAX_PAGES = 50


def features(url: str, fetch: Fetch, timeout: float, error: type[Exception]) -> Iterator[dict]:
    """Yield the features of every page from `url`; raise `error` (Dutch) when the server cannot be reached."""
    next_url: str | None = url
    for _ in range(MAX_PAGES):
        if next_url is None:
            return
        try:
            page = fetch(next_url, timeout)
        except GeocoderUnavailable as exc:
            raise error(f"PDOK is niet bereikbaar: {exc}") from exc
        if not isinstance(page, dict):
            return
        yield from (f for f in page.get("features", []) if isinstance(f, dict))
        next_url = next((link.get("href") for link in page.get("links", []) if isinstance(link, dict)
                         and link.get("rel") == "next"), None)
