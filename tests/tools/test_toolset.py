"""Tools: they act on the current chat on Slack and Telegram alike, and every failure becomes an error result."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from office_assistant.domain.messages import Platform, Role
from office_assistant.ports import ToolCall
from office_assistant.tools import MAX_RESULT_CHARS, Toolbox, ToolCallRecord, ToolPorts, ToolSet
from tests.builders import a_message, a_route_book, a_stored_message
from tests.fakes import FakeStateTable, HashingEmbedder, InMemoryMessageStore, RecordingErp

CHAT = a_route_book().get("chat").settings
ERP = a_route_book().get("erp").settings


def _call(name: str, arguments: dict[str, Any] | str) -> ToolCall:
    return ToolCall("call_1", name, arguments if isinstance(arguments, str) else json.dumps(arguments))


def _toolbox(erp: RecordingErp | None = None) -> tuple[Toolbox, InMemoryMessageStore, FakeStateTable]:
    store, state = InMemoryMessageStore(), FakeStateTable()
    ports = ToolPorts(store, HashingEmbedder(), state, erp=erp, erp_writes=frozenset({"create"}))
    return Toolbox(ports), store, state


def _names(tools: ToolSet) -> list[str]:
    return [schema["function"]["name"] for schema in tools.schemas]


@pytest.mark.parametrize(("platform", "chat_key"), [(Platform.SLACK, "slack:C9"), (Platform.TELEGRAM, "telegram:C9")])
def test_set_mute_mutes_the_chat_the_message_came_from(platform: Platform, chat_key: str) -> None:
    toolbox, _, state = _toolbox()
    tools = toolbox.for_message(a_message("please be quiet", platform=platform, chat_id="C9"), CHAT)

    result = tools.run(_call("set_mute", {"muted": True}))

    assert json.loads(result) == {"result": {"muted": True}}
    assert state.muted == {chat_key}


def test_set_mute_unmutes_the_current_chat_only() -> None:
    toolbox, _, state = _toolbox()
    state.muted = {"slack:C1", "slack:C2"}

    toolbox.for_message(a_message("talk again", chat_id="C1"), CHAT).run(_call("set_mute", {"muted": False}))

    assert state.muted == {"slack:C2"}


def test_tool_schemas_give_the_model_no_chat_id_to_supply() -> None:
    toolbox, _, _ = _toolbox(RecordingErp())

    schemas = toolbox.for_message(a_message(), ERP).schemas

    assert all("chat" not in name for s in schemas for name in s["function"]["parameters"]["properties"])
    assert schemas[0]["function"]["parameters"] == {
        "type": "object",
        "properties": {
            "muted": {
                "type": "boolean",
                "description": "true: stop answering in this chat unless mentioned; false: answer again",
            }
        },
        "additionalProperties": False,
        "required": ["muted"],
    }


def test_search_chat_history_returns_only_this_chats_messages_most_similar_first() -> None:
    toolbox, store, _ = _toolbox()
    embedder = HashingEmbedder()
    for text, chat_key, ts in [
        ("the invoice for acme is overdue", "slack:C1", 1.0),
        ("lunch is at noon", "slack:C1", 2.0),
        ("the invoice for acme was paid", "telegram:C1", 3.0),
    ]:
        store.add(a_stored_message(text, ts=ts, chat_key=chat_key), embedder.embed([text])[0].tolist())

    result = toolbox.for_message(a_message("any news?"), CHAT).run(
        _call("search_chat_history", {"query": "acme invoice", "limit": 5})
    )

    found = json.loads(result)["result"]
    assert [m["text"] for m in found] == ["the invoice for acme is overdue", "lunch is at noon"]
    assert found[0]["score"] > found[1]["score"]


def test_search_chat_history_without_a_query_lists_the_latest_messages_but_not_the_current_one() -> None:
    toolbox, store, _ = _toolbox()
    message = a_message("what did we say?", chat_id="42", platform=Platform.TELEGRAM)
    for n in range(4):
        store.add(a_stored_message(f"message {n}", ts=float(n), chat_key="telegram:42"), None)
    store.add(
        a_stored_message(message.text, ts=message.ts, chat_key="telegram:42", message_id=message.message_id), None
    )

    result = toolbox.for_message(message, CHAT).run(_call("search_chat_history", {"limit": 2}))

    assert json.loads(result) == {
        "result": [
            {
                "time": "1970-01-01T00:00:02+00:00",
                "ts": 2.0,
                "role": Role.USER.value,
                "user": "alice",
                "text": "message 2",
            },
            {
                "time": "1970-01-01T00:00:03+00:00",
                "ts": 3.0,
                "role": Role.USER.value,
                "user": "alice",
                "text": "message 3",
            },
        ]
    }


def test_odoo_tools_are_offered_only_on_an_erp_route_with_an_erp_configured() -> None:
    with_erp, _, _ = _toolbox(RecordingErp())
    without_erp, _, _ = _toolbox(None)

    assert _names(with_erp.for_message(a_message(), ERP)) == [
        "set_mute",
        "search_chat_history",
        "odoo_search_records",
        "odoo_create_record",
    ]
    assert _names(with_erp.for_message(a_message(), CHAT)) == ["set_mute", "search_chat_history"]
    assert _names(without_erp.for_message(a_message(), ERP)) == ["set_mute", "search_chat_history"]


def test_odoo_search_records_passes_model_domain_fields_and_limit_to_the_erp() -> None:
    erp = RecordingErp()
    toolbox, _, _ = _toolbox(erp)
    arguments = {"model": "res.partner", "domain": [["name", "ilike", "acme"]], "fields": ["name"], "limit": 3}

    result = toolbox.for_message(a_message(), ERP).run(_call("odoo_search_records", arguments))

    assert json.loads(result) == {"result": [{"id": 1, "name": "Acme"}]}
    assert erp.searches == [("res.partner", [["name", "ilike", "acme"]], ["name"], 3)]


def test_odoo_create_record_returns_the_new_id() -> None:
    erp = RecordingErp()
    toolbox, _, _ = _toolbox(erp)

    result = toolbox.for_message(a_message(), ERP).run(
        _call("odoo_create_record", {"model": "res.partner", "values": {"name": "Globex"}})
    )

    assert json.loads(result) == {"result": {"id": 2}}
    assert erp.records["res.partner"][-1] == {"id": 2, "name": "Globex"}


def test_a_retried_respond_does_not_create_the_same_record_twice() -> None:
    erp = RecordingErp()
    toolbox, _, _ = _toolbox(erp)
    message = a_message()
    create = _call("odoo_create_record", {"model": "res.partner", "values": {"name": "Globex"}})

    first = toolbox.for_message(message, ERP).run(create)
    retried = toolbox.for_message(message, ERP).run(create)
    other_message = toolbox.for_message(a_message(message_id="m-other"), ERP).run(create)

    assert json.loads(first) == {"result": {"id": 2}}
    assert json.loads(retried)["result"]["already_done"] is True
    assert json.loads(other_message) == {"result": {"id": 3}}
    assert [r["name"] for r in erp.records["res.partner"]] == ["Acme", "Globex", "Globex"]


def test_a_refused_create_can_be_tried_again_by_a_retry() -> None:
    erp = RecordingErp(fail=True)
    toolbox, _, _ = _toolbox(erp)
    message = a_message()
    create = _call("odoo_create_record", {"model": "res.partner", "values": {"name": "Globex"}})
    toolbox.for_message(message, ERP).run(create)

    erp.fail = False
    retried = toolbox.for_message(message, ERP).run(create)

    assert json.loads(retried) == {"result": {"id": 2}}


def test_an_erp_refusal_becomes_an_error_result() -> None:
    toolbox, _, _ = _toolbox(RecordingErp(fail=True))

    result = toolbox.for_message(a_message(), ERP).run(_call("odoo_search_records", {"model": "res.partner"}))

    assert json.loads(result) == {"error": "Odoo refused the search on res.partner: AccessError"}


def test_an_unknown_tool_becomes_an_error_result_naming_the_offered_tools() -> None:
    toolbox, _, _ = _toolbox()

    result = toolbox.for_message(a_message(), ERP).run(_call("odoo_create_record", {"model": "res.partner"}))

    assert json.loads(result) == {
        "error": "unknown tool 'odoo_create_record'; the tools are: set_mute, search_chat_history"
    }


def test_invalid_json_arguments_become_an_error_result() -> None:
    toolbox, _, state = _toolbox()

    result = toolbox.for_message(a_message(), CHAT).run(_call("set_mute", '{"muted": tru'))

    assert json.loads(result)["error"].startswith("the arguments are not valid JSON: ")
    assert state.muted == set()


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({}, "arguments: 'muted' is a required property"),
        ({"muted": "yes"}, "muted: 'yes' is not of type 'boolean'"),
        (
            {"muted": True, "chat_id": "C2"},
            "arguments: Additional properties are not allowed ('chat_id' was unexpected)",
        ),
    ],
)
def test_arguments_that_do_not_fit_the_schema_become_an_error_result(arguments: dict[str, Any], problem: str) -> None:
    toolbox, _, state = _toolbox()

    result = toolbox.for_message(a_message(), CHAT).run(_call("set_mute", arguments))

    assert json.loads(result) == {"error": f"invalid arguments for set_mute: {problem}"}
    assert state.muted == set()


def test_a_crashing_tool_becomes_an_error_result_without_its_internals() -> None:
    class BrokenStateTable(FakeStateTable):
        def set_muted(self, chat_key: str, muted: bool) -> None:
            raise KeyError("secret internals")

    ports = ToolPorts(InMemoryMessageStore(), HashingEmbedder(), BrokenStateTable())
    tools = Toolbox(ports).for_message(a_message(), CHAT)

    result = tools.run(_call("set_mute", {"muted": True}))

    assert json.loads(result) == {"error": "the tool failed (KeyError)"}


def test_a_long_result_is_cut_to_the_result_limit() -> None:
    erp = RecordingErp()
    erp.records["res.partner"] = [{"id": n, "name": "x" * 500} for n in range(50)]
    toolbox, _, _ = _toolbox(erp)

    result = toolbox.for_message(a_message(), ERP).run(
        _call("odoo_search_records", {"model": "res.partner", "limit": 50})
    )

    assert result.startswith('{"result": [{"id": 0')
    assert len(result) < MAX_RESULT_CHARS + 100
    assert result.endswith("characters; ask for fewer]")


def test_every_call_is_recorded_with_its_outcome_but_not_its_arguments() -> None:
    toolbox, _, _ = _toolbox(RecordingErp(fail=True))
    tools = toolbox.for_message(a_message(), ERP)

    tools.run(_call("set_mute", {"muted": True}))
    tools.run(_call("odoo_search_records", {"model": "res.partner"}))
    tools.run(_call("set_mute", "{"))

    assert [(c.name, c.ok, c.error) for c in tools.calls] == [
        ("set_mute", True, None),
        ("odoo_search_records", False, "Odoo refused the search on res.partner: AccessError"),
        (
            "set_mute",
            False,
            "the arguments are not valid JSON: Expecting property name enclosed in double quotes: "
            "line 1 column 2 (char 1)",
        ),
    ]
    assert all(isinstance(c, ToolCallRecord) and c.duration_ms >= 0 for c in tools.calls)


def test_a_route_without_tools_offers_none() -> None:
    toolbox, _, _ = _toolbox(RecordingErp())

    tools = toolbox.for_message(a_message(), a_route_book().get("default").settings)

    assert tools.tools == ()


def test_mute_status_reads_the_current_chats_mute_state_only() -> None:
    ports = ToolPorts(InMemoryMessageStore(), HashingEmbedder(), FakeStateTable())
    ports.state.set_muted("slack:C2", True)
    settings = replace(CHAT, tools=("mute_status",))

    here = Toolbox(ports).for_message(a_message(chat_id="C1"), settings).run(_call("mute_status", {}))
    there = Toolbox(ports).for_message(a_message(chat_id="C2"), settings).run(_call("mute_status", {}))

    assert (json.loads(here), json.loads(there)) == ({"result": {"muted": False}}, {"result": {"muted": True}})
