"""Shared helpers for the benchmarks: percentiles and one-line reports."""

from __future__ import annotations

import json
import statistics
import threading
from collections.abc import Sequence
from typing import Any, Self


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def summary_ms(samples: Sequence[float]) -> dict[str, float]:
    """p50, p99 and mean of samples given in seconds, in milliseconds."""
    return {
        "p50": percentile(samples, 50) * 1000,
        "p99": percentile(samples, 99) * 1000,
        "mean": statistics.fmean(samples) * 1000,
    }


def report(
    scenario: str, measured: dict[str, float], floor: dict[str, float], note: str = ""
) -> dict[str, float]:
    """One line per scenario: our figures, the floor's, and the ratio at p50 and p99 (returned too)."""
    ratio50 = measured["p50"] / floor["p50"]
    ratio99 = measured["p99"] / floor["p99"]
    print(
        f"{scenario}: p50 {measured['p50']:.3f} ms, p99 {measured['p99']:.3f} ms | "
        f"floor p50 {floor['p50']:.3f} ms, p99 {floor['p99']:.3f} ms | "
        f"ratio p50 {ratio50:.2f}x, p99 {ratio99:.2f}x{(' | ' + note) if note else ''}"
    )
    return {
        **{f"{k}_ms": round(v, 3) for k, v in measured.items()},
        **{f"floor_{k}_ms": round(v, 3) for k, v in floor.items()},
        "ratio_p50": round(ratio50, 3),
        "ratio_p99": round(ratio99, 3),
    }


def result(benchmark: str, **figures: Any) -> None:
    """The benchmark's last line: ``RESULT {json}`` with its figures, for scripts to read."""
    print("RESULT " + json.dumps({"benchmark": benchmark, **figures}, sort_keys=True), flush=True)


class Sampler:
    """A thread that watches something while a block runs (``with Watch() as w: ...``): a subclass says
    what in ``watch``, which returns when ``stop`` is set."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.watch, args=(self._stop,), daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def watch(self, stop: threading.Event) -> None:
        raise NotImplementedError
