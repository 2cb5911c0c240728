"""Percentiles and the summaries the benchmark reports; pure functions."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation between closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q must be within 0..100, got {q}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def summary(values: Sequence[float], *qs: float) -> dict[str, float]:
    """`{"p50_ms": ..., "p95_ms": ...}` for the given percentiles, rounded to 0.1 ms."""
    return {f"p{q:g}_ms": round(percentile(values, q), 1) for q in qs}


def ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def ratio_to_bound(measured: Sequence[float], bounds: Sequence[float]) -> float | None:
    """Median over messages of measured/bound, each message against its own critical-path bound.

    None when no message has a positive bound (a zero-latency profile has no physical limit to compare with).
    """
    if len(measured) != len(bounds):
        raise ValueError("one bound per measured message")
    ratios = [m / b for m, b in zip(measured, bounds, strict=True) if b > 0]
    return round(median(ratios), 3) if ratios else None
