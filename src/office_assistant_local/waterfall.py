"""Text waterfall of one execution: when each state ran, so the parallel branches can be seen overlapping."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from office_assistant_local.engine.runner import ExecutionResult, StateTiming

PREPROCESSING_STATES = ("Prepare", "Route", "History", "Relevance", "Auxiliary")  # Prepare: messages with media


def _ms(seconds: float) -> float:
    return seconds * 1000


def render(
    result: ExecutionResult, axis_states: Sequence[str] = PREPROCESSING_STATES, then: str = "Respond", width: int = 50
) -> str:
    """Bars for `axis_states` on a shared time axis (pre-processing), then one line for the `then` state.

    Respond is kept off the axis: the model call dwarfs the lookups, and the point of the picture is how the
    lookups overlap.
    """
    timings: list[StateTiming] = [t for name in axis_states if (t := result.state(name)) and t.ended_at]
    if not timings:
        return "  (no state timings)"
    start = min(t.started_at for t in timings)
    end = max(t.ended_at for t in timings if t.ended_at)
    span_ms = max(_ms((end - start).total_seconds()), 1.0)
    lines = [f"  {'state':<10} {'start':>8} {'took':>8}  0 ms{'':{width - 14}}{span_ms:6.0f} ms"]
    for timing in timings:
        assert timing.ended_at is not None
        offset_ms = _ms((timing.started_at - start).total_seconds())
        took_ms = _ms((timing.ended_at - timing.started_at).total_seconds())
        first = min(int(offset_ms / span_ms * width), width - 1)
        length = min(max(1, round(took_ms / span_ms * width)), width - first)
        lines.append(
            f"  {timing.name:<10} {offset_ms:6.0f}ms {took_ms:6.0f}ms |{' ' * first}{'█' * length:<{width - first}}|"
        )
    last = result.state(then)
    if last and last.ended_at:
        offset_ms = _ms((last.started_at - start).total_seconds())
        took_ms = _ms((last.ended_at - last.started_at).total_seconds())
        lines.append(f"  {last.name:<10} {offset_ms:6.0f}ms {took_ms:6.0f}ms  (model call and reply)")
    return "\n".join(lines)
