"""One value per role view (a long-lived, immutable frame): built once, dropped with the view.

Role views live as long as their data version, so whatever is derived from one (a KD-tree, the nearest
index, prepared answers) is made once per version and can never outlive the data it was made from."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerView(Generic[T]):
    """A registry of values keyed by view identity."""

    def __init__(self, build: Callable[[object], T]):
        self._build = build
        self._items: dict[int, tuple[weakref.ref, T]] = {}
        self._lock = threading.Lock()

    def _found(self, view) -> T | None:
        entry = self._items.get(id(view))
        return entry[1] if entry is not None and entry[0]() is view else None

    def get(self, view) -> T:
        """Return the value of `view`, building it on first use (outside the lock: a second builder only
        wastes its own work, and the first value kept wins)."""
        with self._lock:
            found = self._found(view)
        if found is not None:
            return found
        made = self._build(view)
        with self._lock:
            found = self._found(view)
            if found is not None:
                return found
            key = id(view)
            self._items[key] = (weakref.ref(view), made)
            weakref.finalize(view, self._items.pop, key, None)
        return made
