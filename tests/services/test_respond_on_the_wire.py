"""Respond with the real openai client against the loopback server: the tool loop, vision and failures at the wire."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pytest

from office_assistant.adapters.chat_model import OpenAiCompatibleChatModel, build_openai_client
from office_assistant.domain.context import AuxiliaryFindings, GatheredContext, HistoryWindow, RelevantMessages
from office_assistant.domain.messages import Attachment, Platform, Role
from office_assistant.ports import Platforms
from office_assistant.services.respond import APOLOGY, RespondService
from office_assistant.services.tool_loop import MAX_TOOL_ROUNDS
from office_assistant.tools import Toolbox, ToolPorts
from office_assistant_local.standins.chat_completions import ChatCompletionsLoopback, count_tokens, message_text
from tests.builders import a_message, a_route_book
from tests.fakes import (
    FakeStateTable,
    FirstSentencesSummarizer,
    HashingEmbedder,
    InMemoryMediaBucket,
    InMemoryMessageStore,
    RecordingErp,
    RecordingPlatform,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from office_assistant.services.respond import Response

ERP_WRITES = frozenset({"create"})
NOTHING_GATHERED = GatheredContext(HistoryWindow(), RelevantMessages(), AuxiliaryFindings(muted=False))


class Wired:
    """A RespondService on the real openai client, with the fakes it acts through."""

    def __init__(
        self, server: ChatCompletionsLoopback, erp: RecordingErp | None = None, tools: bool = True, images: bool = False
    ) -> None:
        self.server = server
        self.store, self.state, self.platform = InMemoryMessageStore(), FakeStateTable(), RecordingPlatform()
        client = build_openai_client(server.base_url, "sk-loopback", timeout_s=5.0)
        self.service = RespondService(
            self.store,
            HashingEmbedder(),
            OpenAiCompatibleChatModel(client),
            Platforms({"slack": self.platform, "telegram": self.platform}),
            FirstSentencesSummarizer(),
            a_route_book(),
            media_bucket=InMemoryMediaBucket(),
            send_images=images,
            toolbox=Toolbox(ToolPorts(self.store, HashingEmbedder(), self.state, erp=erp, erp_writes=ERP_WRITES))
            if tools
            else None,
        )

    def respond(self, text: str = "hello", route: str = "chat", **message: Any) -> Response:
        self.message = a_message(text, **message)
        return self.service.respond(self.message, route, None, NOTHING_GATHERED)

    def offered(self, request: int = 0) -> list[str]:
        return [tool["function"]["name"] for tool in self.server.completion_requests()[request].get("tools", [])]


@pytest.fixture
def server() -> Iterator[ChatCompletionsLoopback]:
    with ChatCompletionsLoopback() as loopback:
        yield loopback


@pytest.mark.parametrize(("platform", "chat_key"), [(Platform.SLACK, "slack:C7"), (Platform.TELEGRAM, "telegram:C7")])
def test_respond_runs_the_tool_the_model_calls_then_posts_its_final_text(
    server: ChatCompletionsLoopback, platform: Platform, chat_key: str
) -> None:
    # GIVEN a model that first calls set_mute, then answers
    wired = Wired(server)
    server.queue_tool_calls(("set_mute", {"muted": True}))
    server.queue_text("Muted. Mention me when you need me.")

    # WHEN
    response = wired.respond("please stay quiet in here", platform=platform, chat_id="C7")

    # THEN the current chat is muted and the final text is posted
    assert (response.outcome, response.reply_text) == ("answered", "Muted. Mention me when you need me.")
    assert wired.state.muted == {chat_key}
    assert wired.platform.posts == [(wired.message, "Muted. Mention me when you need me.")]
    # and round 2 carried the assistant's tool call and the tool's result
    first, second = server.completion_requests()
    assert wired.offered(0) == ["set_mute", "search_chat_history"]
    call = second["messages"][-2]
    assert call["role"] == "assistant" and call["content"] is None
    [tool_call] = call["tool_calls"]
    assert tool_call["function"] == {"name": "set_mute", "arguments": '{"muted": true}'}
    assert second["messages"][-1] == {
        "role": "tool",
        "tool_call_id": tool_call["id"],
        "content": '{"result": {"muted": true}}',
    }
    assert second["messages"][:-2] == first["messages"]
    # and the tool exchange is not stored as history
    stored = wired.store.latest(chat_key, 10)
    assert [(m.role, m.text) for m in stored] == [
        (Role.USER, "please stay quiet in here"),
        (Role.ASSISTANT, "Muted. Mention me when you need me."),
    ]


def test_respond_records_the_token_usage_of_every_round(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server)
    server.queue_tool_calls(("search_chat_history", {"query": "invoice"}))
    server.queue_text("Nothing about invoices yet.")

    response = wired.respond("did anyone mention the invoice?")

    requests = server.completion_requests()
    assert len(requests) == 2
    prompt = sum(count_tokens(message_text(m.get("content"))) for r in requests for m in r["messages"])
    completion = count_tokens('search_chat_history {"query": "invoice"}') + count_tokens("Nothing about invoices yet.")
    assert (response.prompt_tokens, response.completion_tokens) == (prompt, completion)


def test_respond_stops_calling_tools_after_the_round_cap_and_asks_for_text(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server)
    for _ in range(MAX_TOOL_ROUNDS + 2):
        server.queue_tool_calls(("search_chat_history", {}))

    response = wired.respond("loop forever")

    requests = server.completion_requests()
    assert len(requests) == MAX_TOOL_ROUNDS + 1
    assert [r.get("tool_choice") for r in requests] == [None] * MAX_TOOL_ROUNDS + ["none"]
    assert sum(m["role"] == "tool" for m in requests[-1]["messages"]) == MAX_TOOL_ROUNDS
    assert (response.outcome, response.reply_text) == ("answered", "echo[small-model]: loop forever")
    assert wired.store.count("slack:C1") == 2


def test_respond_gives_a_failing_tools_error_to_the_model_and_goes_on(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server, erp=RecordingErp(fail=True))
    server.queue_tool_calls(("odoo_search_records", {"model": "res.partner"}))
    server.queue_text("Odoo refuses to answer right now.")

    response = wired.respond("list our customers", route="erp")

    assert (response.outcome, response.reply_text) == ("answered", "Odoo refuses to answer right now.")
    tool_message = server.completion_requests()[1]["messages"][-1]
    assert json.loads(tool_message["content"]) == {"error": "Odoo refused the search on res.partner: AccessError"}


def test_respond_answers_unknown_tools_and_invalid_arguments_with_error_messages(
    server: ChatCompletionsLoopback,
) -> None:
    wired = Wired(server)
    server.queue_tool_calls(("send_slack_message", {"channel": "C2", "text": "hi"}), ("set_mute", '{"muted": tru'))
    server.queue_text("Sorry, I cannot do that.")

    response = wired.respond("post hi in C2 and mute")

    assert response.reply_text == "Sorry, I cannot do that."
    messages = server.completion_requests()[1]["messages"]
    call_ids = [c["id"] for c in messages[-3]["tool_calls"]]
    errors = [(m["tool_call_id"], json.loads(m["content"])["error"]) for m in messages[-2:]]
    assert [call_id for call_id, _ in errors] == call_ids
    assert errors[0][1] == "unknown tool 'send_slack_message'; the tools are: set_mute, search_chat_history"
    assert errors[1][1].startswith("the arguments are not valid JSON")
    assert wired.state.muted == set()


@pytest.mark.parametrize(
    ("erp", "route", "odoo_offered"), [(True, "erp", True), (False, "erp", False), (True, "chat", False)]
)
def test_respond_offers_the_odoo_tools_only_on_the_erp_route_with_an_erp(
    server: ChatCompletionsLoopback, erp: bool, route: str, odoo_offered: bool
) -> None:
    wired = Wired(server, erp=RecordingErp() if erp else None)

    wired.respond("which customers do we have?", route=route)

    assert ("odoo_search_records" in wired.offered()) is odoo_offered
    assert ("odoo_create_record" in wired.offered()) is odoo_offered


def test_respond_without_a_toolbox_offers_no_tools(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server, tools=False)

    response = wired.respond("hello")

    [request] = server.completion_requests()
    assert "tools" not in request and "tool_choice" not in request
    assert response.reply_text == "echo[small-model]: hello"


def test_respond_sends_the_images_as_image_url_parts_when_images_are_on(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server, images=True)
    attachment = Attachment("image", "bucket:images/receipt.jpg", "image/jpeg")

    wired.service.respond(
        replace(a_message("what is on this receipt?"), attachments=(attachment,)), "chat", None, NOTHING_GATHERED
    )

    content = server.completion_requests()[0]["messages"][-1]["content"]
    assert content[0]["type"] == "text" and "what is on this receipt?" in content[0]["text"]
    assert content[1] == {
        "type": "image_url",
        "image_url": {"url": "https://media.example/images/receipt.jpg?X-Amz-Expires=3600"},
    }


def test_respond_posts_and_stores_the_apology_when_the_model_keeps_failing(server: ChatCompletionsLoopback) -> None:
    wired = Wired(server)
    server.fail_next(2, status=503)

    response = wired.respond("are you there?")

    assert (response.outcome, response.reply_text) == ("model_failed", APOLOGY)
    [reply] = [m for m in wired.store.latest("slack:C1", 10) if m.role is Role.ASSISTANT]
    assert (reply.message_id, reply.text) == (wired.message.key.reply_message_id, APOLOGY)


def test_respond_reports_each_tool_call_and_the_report_survives_an_idempotency_replay(
    server: ChatCompletionsLoopback,
) -> None:
    from dataclasses import asdict

    from office_assistant.services.respond import Response
    from office_assistant.tools import ToolCallRecord

    wired = Wired(server)
    server.queue_tool_calls(("set_mute", {"muted": True}), ("search_chat_history", {"limit": 0}))
    server.queue_text("Done.")

    response = wired.respond("mute please")
    replayed = Response(**json.loads(json.dumps(asdict(response))))

    assert [(c.name, c.ok) for c in response.tool_calls] == [("set_mute", True), ("search_chat_history", False)]
    assert (
        response.tool_calls[1].error
        == "invalid arguments for search_chat_history: limit: 0 is less than the minimum of 1"
    )
    assert replayed.tool_calls == response.tool_calls
    assert all(isinstance(c, ToolCallRecord) for c in replayed.tool_calls)
