"""The cold-start probe: one function in a fresh interpreter as deployed, with every phase reported."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from office_assistant.domain.messages import InboundMessage, Platform
from office_assistant.settings import ENV_VARS
from office_assistant.workflow.payloads import RouteOutput, WorkflowInput
from office_assistant_local.bench.cold import DelayedEmbeddings, probe

if TYPE_CHECKING:
    from pathlib import Path


def test_cold_probe_runs_route_as_deployed_without_any_provider_sdk_and_reports_each_phase(
    tmp_path: Path, local_aws: str
) -> None:
    # GIVEN the Route step's deployed adapters against the OpenAI-compatible stand-in and moto
    message = InboundMessage(
        platform=Platform.TELEGRAM,
        event_id="900001",
        message_id="1-new",
        chat_id="1",
        user_id="7",
        user_name="Ana",
        text="what is 18% of 7,500?",
        ts=1_700_000_100.0,
    )
    events_file = tmp_path / "events.json"
    events_file.write_text(json.dumps({"route": WorkflowInput(message=message).model_dump(mode="json")}))
    with DelayedEmbeddings(route_ms=0.0) as openai_api:
        env = {key: value for key, value in os.environ.items() if not key.startswith("OA_")} | {
            ENV_VARS["data_dir"]: str(tmp_path),
            ENV_VARS["embeddings"]: "openai",
            ENV_VARS["openai_base_url"]: openai_api.base_url,
            ENV_VARS["aws_endpoint_url"]: local_aws,
        }

        # WHEN it is probed cold
        result = probe("route", env, events_file)

        # THEN init embedded the route book (one batch) and each of the three calls embedded the message once
        single = [body for body in openai_api.embedding_requests() if len(body["input"]) == 1]
        batches = [body for body in openai_api.embedding_requests() if len(body["input"]) > 1]
    phases = ("init_ms", "init_cpu_ms", "first_invoke_ms", "warm_invoke_ms", "restore_hooks_ms")
    assert set(phases) <= result.keys()
    assert result["unused_sdks_loaded"] == []
    assert result["first_output_keys"] == sorted(RouteOutput.model_fields)
    assert len(batches) == 2  # once in init, once again in the after-restore hook
    assert [body["input"] for body in single] == [[message.text]] * 3
