"""Automatic garbage collection is off while pushes are in flight, and only then (sync.collection)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from fieldapp.sync import collection
from fieldapp.sync.collection import collections_deferred


@pytest.fixture(autouse=True)
def collecting() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_collection_is_off_in_the_block_and_on_after_it() -> None:
    with collections_deferred():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_comes_back_when_the_last_of_overlapping_pushes_ends() -> None:
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        first_in.wait()
        with collections_deferred():
            second_in.set()
            first_out.wait()
            seen.append(gc.isenabled())  # the first push has ended; this one is still in flight

    thread = threading.Thread(target=second)
    thread.start()
    with collections_deferred():
        first_in.set()
        second_in.wait()
    first_out.set()
    thread.join()
    assert seen == [False] and gc.isenabled()


def test_it_comes_back_after_overlapping_pushes_last_too_long(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collection, "MAX_DEFERRED_S", 0.0)
    outer = collections_deferred()
    outer.__enter__()
    with collections_deferred():
        assert not gc.isenabled()
    assert gc.isenabled(), "the overlap outlasted the cap: collections run again"
    outer.__exit__(None, None, None)
    assert gc.isenabled()


def test_collection_turned_off_by_the_process_stays_off() -> None:
    gc.disable()
    with collections_deferred():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_an_error_in_the_block_turns_it_back_on() -> None:
    with pytest.raises(RuntimeError), collections_deferred():
        raise RuntimeError("refused")
    assert gc.isenabled()
