"""Shared by the linearity tests: is a stage linear in its input?

CPU time, best of a few runs with the cyclic garbage collector paused (its
pauses land on whichever run crosses a threshold, and once made a linear stage
look 3.8 times slower at twice the size). The size grows until one run is long
enough to measure, and a ratio over the limit is measured again: scheduler
noise passes on a second try, a quadratic stage stays near 4 however often it
is measured.
"""

from __future__ import annotations

import functools
import gc
import time
from collections.abc import Callable

MIN_SECONDS = 0.05  # long enough that a scheduler hiccup is a small part of it
ATTEMPTS = 4
MAX_RATIO = 3.0  # time(2n) / time(n): linear is ~2, quadratic ~4


def best_cpu(function: Callable[[], object], repeat: int = 3) -> float:
    """Best CPU time of ``repeat`` runs, without the cyclic garbage collector's pauses."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.process_time()
            function()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def doubling_ratio(run: Callable[[int], object], n: int, *, max_n: int = 10_000_000) -> float:
    """time(2n) / time(n), with n grown until time(n) is measurable.

    A ratio over ``MAX_RATIO`` is measured again, up to ``ATTEMPTS`` times.
    """
    while best_cpu(functools.partial(run, n), repeat=1) < MIN_SECONDS and n < max_n:
        n *= 2
    ratio = float("inf")
    for _ in range(ATTEMPTS):
        small = best_cpu(functools.partial(run, n))
        large = best_cpu(functools.partial(run, 2 * n))
        ratio = min(ratio, large / small)
        if ratio <= MAX_RATIO:
            break
    return ratio


def measured_ratio(small: Callable[[], object], large: Callable[[], object]) -> float:
    """best_cpu(large) / best_cpu(small), measured again while over ``MAX_RATIO``.

    For inputs too costly to build at growing sizes (a seeded database).
    """
    ratio = float("inf")
    for _ in range(ATTEMPTS):
        ratio = min(ratio, best_cpu(large) / max(best_cpu(small), 1e-6))
        if ratio <= MAX_RATIO:
            break
    return ratio
