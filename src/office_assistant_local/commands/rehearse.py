"""`office-assistant rehearse`: run what `cdk deploy` would ship, as Lambda would run it (x86_64, Python 3.13)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def rehearse(json_path: Path | None = None, timeout_scale: float = 1.0, out: Callable[[str], None] = print) -> int:
    """Build (cached), run, print a table; 0 when every function ran and every reply was posted."""
    from office_assistant_local.rehearsal.artifacts import ArtifactError, build_artifacts
    from office_assistant_local.rehearsal.run import RehearsalError, run_rehearsal

    try:
        artifacts = build_artifacts(log=out)
        out("running the functions under awslambdaric, messages through the ASL on the local engine …")
        result = run_rehearsal(artifacts, say=out, timeout_scale=timeout_scale)
    except (ArtifactError, RehearsalError) as error:
        out(f"rehearsal failed: {error}")
        return 1
    out(f"\n{'function':<10} {'init ms':>9} {'1st ms':>9} {'warm ms':>9} {'RSS MB':>8}")
    for name, report in result.as_json()["functions"].items():
        cells = [report[key] for key in ("init_ms", "first_invoke_ms", "warm_invoke_ms", "rss_mb")]
        out(f"{name:<10} " + " ".join(f"{'-' if c is None else c:>9}" for c in cells))
    out(f"execution: {result.status}, reply posted: {result.reply_posted}, timeouts x{result.timeout_scale:g}")
    out(f"layers (x86_64, unzipped): {result.layer_mb} MB")
    for failure in result.failures:
        out(f"\n✗ {failure}")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result.as_json(), indent=2) + "\n", encoding="utf-8")
        out(f"written: {json_path}")
    return 0 if not result.failures and result.reply_posted else 1
