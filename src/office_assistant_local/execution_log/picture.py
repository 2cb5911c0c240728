"""The waterfall picture of one or more timelines, side by side, as one self-contained HTML file (inline SVG)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from office_assistant_local.execution_log.timeline import StateRun, Timeline

COLOURS = {"SUCCEEDED": "#4c9a5f", "CAUGHT": "#e0a030", "FAILED": "#c8423b"}
_ROW, _LABEL, _CHART, _TOP = 24, 190, 560, 34


def _svg(timeline: Timeline) -> str:
    span = max(timeline.end_ms, 1)
    height = _TOP + _ROW * max(1, len(timeline.states)) + 10

    def x(ms: int) -> float:
        return _LABEL + ms / span * _CHART

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_LABEL + _CHART + 20}" height="{height}" '
        f'font-family="sans-serif" font-size="12">'
    ]
    for tick in range(5):
        ms = round(span * tick / 4)
        parts.append(
            f'<line x1="{x(ms):.1f}" y1="{_TOP - 6}" x2="{x(ms):.1f}" y2="{height - 6}" stroke="#ddd"/>'
            f'<text x="{x(ms):.1f}" y="{_TOP - 12}" text-anchor="middle" fill="#555">{ms:,} ms</text>'
        )
    for row, run in enumerate(timeline.states):
        parts.append(_bar(run, _TOP + row * _ROW, x, span))
    parts.append("</svg>")
    return "".join(parts)


def _bar(run: StateRun, top: int, x: Callable[[int], float], span: int) -> str:
    end = run.end_ms if run.end_ms is not None else span
    tip = f"{run.name} ({run.type}) {run.status}: {run.start_ms:,}–{end:,} ms"
    if run.retries:
        tip += f", {run.retries} retr{'y' if run.retries == 1 else 'ies'}"
    if run.error:
        tip += f"\n{run.error}: {run.cause or ''}"[:400]
    width = max(x(end) - x(run.start_ms), 2.0)
    parts = [
        f"<g><title>{escape(tip)}</title>"
        f'<text x="{6 + 12 * run.depth}" y="{top + 15}">{escape(run.name)}</text>'
        f'<rect x="{x(run.start_ms):.1f}" y="{top + 3}" width="{width:.1f}" height="{_ROW - 8}" rx="2" '
        f'fill="{COLOURS[run.status]}"/>'
    ]
    for attempt in run.attempts:  # each invocation as a thin line under the state's bar
        attempt_end = attempt.ended_ms if attempt.ended_ms is not None else end
        colour = "#1f4f2a" if attempt.outcome == "Succeeded" else "#7a1410"
        parts.append(
            f'<rect x="{x(attempt.scheduled_ms):.1f}" y="{top + _ROW - 7}" '
            f'width="{max(x(attempt_end) - x(attempt.scheduled_ms), 1.5):.1f}" height="3" fill="{colour}">'
            f"<title>attempt {attempt.number}: {escape(attempt.outcome or 'no outcome logged')}</title></rect>"
        )
    parts.append("</g>")
    return "".join(parts)


def write_waterfalls(path: Path, panels: Sequence[tuple[str, Timeline]]) -> Path:
    """Write the panels side by side into `path` (no scripts, no external resources) and return it."""
    blocks = []
    for title, timeline in panels:
        execution = timeline.execution
        subtitle = f"{execution.status}" + (f" · {execution.error}" if execution.error else "")
        blocks.append(
            f"<section><h2>{escape(title)}</h2><p>{escape(execution.execution_arn)}<br>{escape(subtitle)}</p>"
            f"{_svg(timeline)}</section>"
        )
    legend = " ".join(
        f'<span><i style="background:{colour}"></i>{escape(status)}</span>' for status, colour in COLOURS.items()
    )
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>execution waterfall</title><style>'
        "body{font-family:sans-serif;margin:16px}main{display:flex;gap:32px;flex-wrap:wrap}"
        "h2{font-size:16px;margin:0 0 4px}p{color:#555;font-size:12px;margin:0 0 8px}"
        ".legend span{margin-right:16px;font-size:12px}"
        ".legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}"
        f'</style></head><body><div class="legend">{legend} · thin lines: task attempts (dark red: failed)</div>'
        f"<main>{''.join(blocks)}</main></body></html>"
    )
    path.write_text(page, encoding="utf-8")
    return path
