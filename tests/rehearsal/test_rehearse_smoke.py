"""The whole rehearsal, end to end (about 2 minutes here, more on a first run that builds the layers): opt-in.

`OA_REHEARSAL=1 pytest tests/rehearsal/test_rehearse_smoke.py` (OA_REHEARSAL_TIMEOUT_SCALE=3 on a busy machine).
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import pytest

from office_assistant_local.commands.rehearse import rehearse

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(os.environ.get("OA_REHEARSAL") != "1", reason="opt-in: OA_REHEARSAL=1 (minutes)")


def test_every_function_runs_cold_and_warm_and_every_message_gets_its_reply(tmp_path: Path) -> None:
    out = tmp_path / "rehearsal.json"
    scale = float(os.environ.get("OA_REHEARSAL_TIMEOUT_SCALE", "1"))

    status = rehearse(out, timeout_scale=scale, out=lambda _: None)

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["failures"] == []
    assert report["execution"] == {"status": "SUCCEEDED", "reply_posted": True}
    assert set(report["functions"]) == {"webhook", "route", "history", "relevance", "auxiliary", "respond"}
    for name, function in report["functions"].items():
        assert None not in (function["init_ms"], function["first_invoke_ms"], function["warm_invoke_ms"]), name
        assert function["rss_mb"] > 0, name
    assert status == 0
