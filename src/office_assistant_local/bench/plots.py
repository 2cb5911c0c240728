"""The benchmark's pictures: waterfalls of typical executions and the pre-processing latency distribution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from office_assistant_local.bench.latency import Draws
    from office_assistant_local.engine.execution import ExecutionResult

STATES = ("Route", "Gather", "History", "Relevance", "Auxiliary", "Respond")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def waterfall(result: ExecutionResult, draws: Draws, path: Path) -> None:
    """One bar per state on the execution's time axis, with the injected draws marked for the branches."""
    plt = _pyplot()
    start = result.started_at
    rows = [t for t in result.states if t.ended_at is not None]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 1.5))
    injected = {"Route": draws.route, "History": draws.history, "Relevance": draws.relevance}
    injected["Auxiliary"] = draws.auxiliary
    for y, timing in enumerate(rows):
        assert timing.ended_at is not None
        left = (timing.started_at - start).total_seconds() * 1000
        width = max((timing.ended_at - timing.started_at).total_seconds() * 1000, 1.0)
        ax.barh(y, width, left=left, color="#4c78a8" if timing.type != "Parallel" else "#bbbbbb")
        label = f"{width:.0f} ms"
        if timing.name in injected:
            label += f" (injected {injected[timing.name]:.0f})"
        ax.text(left + width + 5, y, label, va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [t.name for t in rows])
    ax.invert_yaxis()
    ax.set_xlabel("ms since execution start")
    ax.set_title(f"Typical execution (bound {draws.bound_ms:.0f} ms: route + slowest branch)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def distribution(
    legacy: Sequence[float], serial: Sequence[float], parallel: Sequence[float], bound: Sequence[float], path: Path
) -> None:
    """Empirical CDFs of pre-processing time: the legacy's serial order, our branches in series, the workflow, and
    the per-message bound."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for label, values, colour in [
        ("legacy serial order", legacy, "#b279a2"),
        ("our branches in series", serial, "#e45756"),
        ("parallel workflow", parallel, "#4c78a8"),
        ("critical-path bound", bound, "#54a24b"),
    ]:
        ordered = sorted(values)
        ax.step(ordered, [(i + 1) / len(ordered) for i in range(len(ordered))], where="post", label=label, color=colour)
    ax.set_xlabel("pre-processing time (ms): workflow start → Respond start")
    ax.set_ylabel("fraction of messages")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def reply_waterfall(result: ExecutionResult, received: float, first_text: float, complete: float, path: Path) -> None:
    """One streamed reply on the user's clock: webhook receipt at 0, each state, the first visible words and the
    complete reply marked."""
    plt = _pyplot()
    rows = [t for t in result.states if t.ended_at is not None]
    fig, ax = plt.subplots(figsize=(9, 0.5 * len(rows) + 2))
    ax.barh(0, max((result.started_at.timestamp() - received) * 1000, 1.0), left=0, color="#bbbbbb")
    for y, timing in enumerate(rows, start=1):
        assert timing.ended_at is not None
        left = (timing.started_at.timestamp() - received) * 1000
        width = max((timing.ended_at - timing.started_at).total_seconds() * 1000, 1.0)
        ax.barh(y, width, left=left, color="#4c78a8" if timing.type != "Parallel" else "#bbbbbb")
        ax.text(left + width + 5, y, f"{width:.0f} ms", va="center", fontsize=8)
    for moment, label, colour in [
        (first_text, "first words visible", "#54a24b"),
        (complete, "complete reply", "#e45756"),
    ]:
        x = (moment - received) * 1000
        ax.axvline(x, color=colour, linestyle="--", label=f"{label}: {x:.0f} ms")
    ax.set_yticks(range(len(rows) + 1), ["webhook → start", *(t.name for t in rows)])
    ax.invert_yaxis()
    ax.legend(loc="upper center")
    ax.set_xlabel("ms since the webhook received the message")
    ax.set_title("A typical streamed reply (SmolLM2 on llama.cpp, local stand-ins)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
