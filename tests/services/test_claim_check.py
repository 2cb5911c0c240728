"""Claim checks: what travels inline in the workflow's states and what waits in the media bucket by reference."""

from __future__ import annotations

import json
from dataclasses import replace

from office_assistant.domain.context import AuxiliaryFindings, HistoryWindow
from office_assistant.domain.messages import Attachment
from office_assistant.services.claim_check import CLAIM_PREFIX, ClaimChecks, without_content
from office_assistant.workflow.limits import INLINE_BRANCH_BYTES, INLINE_MESSAGE_BYTES, json_bytes
from office_assistant.workflow.payloads import (
    AuxiliaryOutput,
    GatherContextOutput,
    HistoryOutput,
    RelevanceOutput,
    RouteOutput,
    WorkflowInput,
)
from tests.builders import a_message, a_stored_message
from tests.fakes import InMemoryMediaBucket


def test_small_message_of_an_unredacted_chat_starts_the_workflow_inline() -> None:
    bucket = InMemoryMediaBucket()
    message = a_message("what is on today?")

    step = ClaimChecks(lambda: bucket).workflow_input(message, private=False)

    assert step.message == message
    assert step.message_ref is None
    assert bucket.objects == {}


def test_message_of_a_redacted_chat_starts_the_workflow_by_reference_without_its_text() -> None:
    bucket = InMemoryMediaBucket()
    message = a_message("mail me at jane.doe@example.com")
    claims = ClaimChecks(lambda: bucket)

    step = claims.workflow_input(message, private=True)

    assert step.message_ref is not None and step.message_ref.startswith(CLAIM_PREFIX)
    assert "jane.doe" not in json.dumps(step.model_dump(mode="json"))
    assert step.message.message_id == message.message_id
    assert claims.message(step) == message


def test_message_over_the_inline_budget_starts_the_workflow_by_reference() -> None:
    message = a_message("ü" * INLINE_MESSAGE_BYTES)
    claims = ClaimChecks(InMemoryMediaBucket)

    step = claims.workflow_input(message, private=False)

    assert step.message_ref is not None
    assert json_bytes(step.model_dump(mode="json")) < 2048
    assert claims.message(step) == message


def test_a_stub_of_a_message_with_attachments_still_says_it_has_media() -> None:
    voice = Attachment("audio", "https://files.slack.com/voice.ogg", "audio/ogg", "voice.ogg", 1028)
    message = replace(a_message("call me back"), attachments=(voice,))
    claims = ClaimChecks(InMemoryMediaBucket)

    step = claims.workflow_input(message, private=True)
    typed = claims.workflow_input(a_message("no files here"), private=True)

    assert step.message.attachments == () and step.has_media is True
    assert typed.has_media is False
    assert WorkflowInput.model_validate(step.model_dump(mode="json")).has_media is True


def test_prepared_message_over_the_inline_budget_leaves_route_by_reference() -> None:
    document = "[Document report.pdf]\n" + "x" * 200_000
    message = replace(a_message(document), attachments=(Attachment("document", "", "application/pdf", "report.pdf"),))
    claims = ClaimChecks(InMemoryMediaBucket)
    output = RouteOutput(message=message, embedding=[0.5] * 384, notes=["a note"])

    routed = claims.prepared(output)

    assert routed.message.text == ""
    assert routed.message.attachments == ()
    assert routed.embedding == output.embedding and routed.notes == ["a note"]
    assert routed.has_media is True  # a stub keeps saying so
    assert claims.message(routed) == message


def test_route_output_drops_the_inbound_reference_when_the_prepared_message_fits_inline() -> None:
    message = a_message("short and redacted: <EMAIL_ADDRESS>")
    output = RouteOutput(message=message, message_ref="workflow/slack/abc/inbound.json")

    routed = ClaimChecks(InMemoryMediaBucket).prepared(output)

    assert routed.message == message
    assert routed.message_ref is None


def test_branch_results_over_their_budget_travel_by_reference_and_respond_gets_them_back() -> None:
    message = a_message("hi")
    claims = ClaimChecks(InMemoryMediaBucket)
    long_history = HistoryOutput(
        window=HistoryWindow(verbatim=tuple(a_stored_message("y" * 40_000, ts=float(n)) for n in range(5)))
    )
    big_map = AuxiliaryOutput(findings=AuxiliaryFindings(erp_models={f"model.{i}": "z" * 100 for i in range(1000)}))
    small = RelevanceOutput()

    checked = GatherContextOutput(
        history=claims.branch(long_history, message, "history"),
        relevance=claims.branch(small, message, "relevance"),
        auxiliary=claims.branch(big_map, message, "auxiliary"),
    )

    assert checked.history.ref and checked.auxiliary.ref and checked.relevance.ref is None
    assert all(
        json_bytes(r.model_dump(mode="json")) <= INLINE_BRANCH_BYTES for r in (checked.history, checked.auxiliary)
    )
    assert claims.gathered(checked) == GatherContextOutput(history=long_history, relevance=small, auxiliary=big_map)


def test_message_without_content_keeps_its_identity_and_drops_text_and_attachments() -> None:
    message = replace(a_message("secret plans"), attachments=(Attachment("image", "https://files/x.png"),))

    stub = without_content(message)

    assert stub.text == "" and stub.attachments == ()
    assert (stub.platform, stub.chat_id, stub.message_id, stub.user_id, stub.ts) == (
        message.platform,
        message.chat_id,
        message.message_id,
        message.user_id,
        message.ts,
    )


def test_data_that_fits_inline_never_builds_the_bucket() -> None:
    def no_bucket() -> InMemoryMediaBucket:
        raise AssertionError("the bucket was built for data that fits inline")

    claims = ClaimChecks(no_bucket)
    message = a_message("hi")

    step = claims.workflow_input(message, private=False)
    routed = claims.prepared(RouteOutput(message=message))
    history = claims.branch(HistoryOutput(), message, "history")

    assert claims.message(step) == message and routed.message == message and history.ref is None
