"""The type of :meth:`lib.store.Store.guard`, which every part of the store calls through."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

_T = TypeVar("_T")


class Guard(Protocol):
    """Runs a call against the database or bucket, turning their errors into StoreUnavailable."""

    def __call__(self, call: Callable[[], _T], /) -> _T: ...
