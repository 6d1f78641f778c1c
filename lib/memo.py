"""Reads shared by the charts of one page, computed once per data snapshot.

Every chart card of a page is its own cache entry (`lib.ui.data.view`), and each reads the
same few views itself: on the Delivery page's DORA tab, six cards each computed the
twelve-month `dora_by_period`, the tab's `coverage` twice and the period's `dora_summary`
(4.5 s of a 5.5 s cold run on the large organisation, issue 17). A view marked `@shared`
is computed once per (snapshot, grant, arguments) while `reading(key)` is active, and every
caller gets its own copy (a chart may change the frame it is given).

Outside `reading` (the command line, the tests, the board pack's own runs) `@shared` calls
the view as it is: nothing is kept. `key` must name an immutable state of the data: the app
passes its published snapshot's file and version with the viewer's grant
(`lib.ui.data._run`); a writable connection must never be read under a key.
Entries live an hour (as the app's own cache) and at most `MAX_ENTRIES` per key; the
`MAX_KEYS` newest keys are kept.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator

TTL_SECONDS = 3600
MAX_ENTRIES = 256
MAX_KEYS = 4

_active: contextvars.ContextVar[OrderedDict | None] = contextvars.ContextVar("lib_memo", default=None)
_stores: OrderedDict[Hashable, tuple[float, OrderedDict]] = OrderedDict()
_lock = threading.Lock()
_MISSING = object()


@contextlib.contextmanager
def reading(key: Hashable) -> Iterator[None]:
    """Share `@shared` views' results among every call made under the same `key`."""
    now = time.monotonic()
    with _lock:
        born, store = _stores.get(key, (now, None))
        if store is None or now - born > TTL_SECONDS:
            born, store = now, OrderedDict()
        _stores[key] = (born, store)
        _stores.move_to_end(key)
        while len(_stores) > MAX_KEYS:
            _stores.popitem(last=False)
    token = _active.set(store)
    try:
        yield
    finally:
        _active.reset(token)


def clear() -> None:
    """Forget every shared result (the app calls it with its own caches' clear)."""
    with _lock:
        _stores.clear()


def shared(view: Callable) -> Callable:
    """Mark `view(con, *args)` as computed once per `reading` key and arguments (which must
    be hashable; with an unhashable one, such as a dict, the view simply runs)."""

    @functools.wraps(view)
    def wrapper(con, *args, **kwargs):
        store = _active.get()
        if store is None:
            return view(con, *args, **kwargs)
        try:
            entry = (view.__module__, view.__qualname__, args, tuple(sorted(kwargs.items())))
            hash(entry)
        except TypeError:
            return view(con, *args, **kwargs)
        with _lock:
            found = store.get(entry, _MISSING)
            if found is not _MISSING:
                store.move_to_end(entry)
        if found is _MISSING:
            found = view(con, *args, **kwargs)
            with _lock:
                store[entry] = found
                while len(store) > MAX_ENTRIES:
                    store.popitem(last=False)
        return copy.deepcopy(found)

    return wrapper
