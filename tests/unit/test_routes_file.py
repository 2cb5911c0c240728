"""The routes file loader, and the shipped routes file itself (no models: only parsing and checks)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from office_assistant.domain.errors import RoutesFileError
from office_assistant.routes_file import load_route_book, parse_route_book
from office_assistant.settings import DEFAULT_ROUTES_FILE

LEGACY_UTTERANCE_COUNTS = {"research": 7, "writing": 7, "numerical_analysis": 15, "navigation": 15, "odoo_erp": 16}

# route: (summary_len, full_text_len, relevant), from the legacy table (legacy-behaviour.md §2)
LEGACY_WINDOWS = {
    "chitchat": (0, 2, 2),
    "research": (10, 5, 5),
    "writing": (10, 5, 5),
    "numerical_analysis": (10, 5, 5),
    "navigation": (10, 5, 5),
    "odoo_erp": (2, 5, 0),
    "default": (10, 5, 5),
}


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    return dict(json.loads(DEFAULT_ROUTES_FILE.read_text(encoding="utf-8")))


def _parse(document: dict[str, Any]) -> None:
    parse_route_book(json.dumps(document), "routes.json")


def test_load_route_book_reads_the_shipped_file_with_six_routes_and_a_default() -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)

    assert [route.name for route in book.routes] == [
        "chitchat",
        "research",
        "writing",
        "numerical_analysis",
        "navigation",
        "odoo_erp",
    ]
    assert book.default.name == "default"
    assert book.default.utterances == ()
    assert 0.0 < book.score_threshold < 1.0
    assert book.get(None) is book.default
    assert book.get("no such route") is book.default


def test_load_route_book_accepts_a_path_given_as_text() -> None:
    book = load_route_book(str(DEFAULT_ROUTES_FILE))

    assert book.get("odoo_erp").name == "odoo_erp"


def test_shipped_routes_have_the_legacy_utterance_counts() -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)

    counts = {route.name: len(route.utterances) for route in book.routes}

    assert counts["chitchat"] >= 5
    assert {name: counts[name] for name in LEGACY_UTTERANCE_COUNTS} == LEGACY_UTTERANCE_COUNTS
    for route in book.routes:
        assert len(set(route.utterances)) == len(route.utterances), route.name


@pytest.mark.parametrize(("name", "windows"), LEGACY_WINDOWS.items())
def test_shipped_routes_keep_the_legacy_history_and_relevance_windows(name: str, windows: tuple[int, int, int]) -> None:
    settings = load_route_book(DEFAULT_ROUTES_FILE).get(name).settings

    assert (settings.summary_len, settings.full_text_len, settings.relevant) == windows


def test_shipped_routes_give_every_route_a_model_prompts_and_limits() -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)

    for route in (*book.routes, book.default):
        settings = route.settings
        assert settings.model, route.name
        assert settings.system_prompt.strip(), route.name
        assert settings.max_tokens > 0, route.name
        assert settings.needs_erp is (route.name == "odoo_erp"), route.name
        assert settings.temperature == (0.1 if route.name == "odoo_erp" else 0.7), route.name
        assert settings.model == ("gpt-4.1-mini" if route.name == "chitchat" else "gpt-4.1"), route.name
        assert bool(settings.assistant_prompt) is (route.name != "chitchat"), route.name


def test_shipped_prompts_follow_the_legacy_composition() -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)
    writing, odoo, default = book.get("writing").settings, book.get("odoo_erp").settings, book.default.settings

    assert "writing" in writing.assistant_prompt.lower()
    assert "ERP" in odoo.assistant_prompt and "clarifying question" in odoo.assistant_prompt
    assert "step by step" not in odoo.assistant_prompt
    for name in ("default", "research", "numerical_analysis", "navigation"):
        assert "step by step" in book.get(name).settings.assistant_prompt, name
    assert default.system_prompt == odoo.system_prompt == writing.system_prompt


def test_shipped_prompts_work_on_any_platform_and_never_pretend_to_be_human(shipped: dict[str, Any]) -> None:
    book = load_route_book(DEFAULT_ROUTES_FILE)

    texts = [text.lower() for text in shipped["prompts"].values()]
    texts += [r.settings.system_prompt.lower() for r in (*book.routes, book.default)]

    for text in texts:
        assert "slack" not in text
        assert "telegram" not in text
        assert "pretend" not in text
        assert "you are a human" not in text


def test_load_route_book_raises_when_the_file_is_missing() -> None:
    with pytest.raises(RoutesFileError, match="does not exist"):
        load_route_book(DEFAULT_ROUTES_FILE.with_name("no-such-routes.json"))


def test_parse_route_book_raises_when_the_text_is_not_json() -> None:
    with pytest.raises(RoutesFileError, match=r"routes\.json is malformed.*Invalid JSON"):
        parse_route_book('{"routes": [', "routes.json")


def test_parse_route_book_raises_and_names_the_field_when_a_setting_is_missing(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    del document["routes"][2]["settings"]["temperature"]

    with pytest.raises(RoutesFileError, match=r"routes\.2\.settings\.temperature: Field required"):
        _parse(document)


def test_parse_route_book_raises_when_a_setting_has_the_wrong_type(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][0]["settings"]["relevant"] = "two"

    with pytest.raises(RoutesFileError, match=r"routes\.0\.settings\.relevant"):
        _parse(document)


def test_parse_route_book_raises_when_an_unknown_key_appears(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][0]["settings"]["temprature"] = 0.2

    with pytest.raises(RoutesFileError, match="temprature"):
        _parse(document)


def test_parse_route_book_raises_when_a_route_names_an_unknown_prompt(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][1]["settings"]["assistant_prompt"].append("instruct_missing")

    with pytest.raises(RoutesFileError, match="instruct_missing"):
        _parse(document)


def test_parse_route_book_raises_when_route_names_repeat(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][1]["name"] = document["routes"][0]["name"]

    with pytest.raises(RoutesFileError, match="unique"):
        _parse(document)


def test_parse_route_book_raises_when_the_default_is_also_a_routed_route(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][0]["name"] = "default"

    with pytest.raises(RoutesFileError, match="default"):
        _parse(document)


def test_parse_route_book_raises_when_a_route_has_no_utterances(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["routes"][3]["utterances"] = []

    with pytest.raises(RoutesFileError, match=r"routes\.3\.utterances"):
        _parse(document)


@pytest.mark.parametrize("threshold", [0, -0.2, 1.5, "high"])
def test_parse_route_book_raises_when_the_threshold_is_out_of_range(shipped: dict[str, Any], threshold: object) -> None:
    document = copy.deepcopy(shipped)
    document["score_threshold"] = threshold

    with pytest.raises(RoutesFileError, match="score_threshold"):
        _parse(document)


def test_parse_route_book_joins_named_prompts_in_their_listed_order(shipped: dict[str, Any]) -> None:
    document = copy.deepcopy(shipped)
    document["prompts"] = {"a": "first", "b": "second", "c": "system"}
    for entry in (document["default"], *document["routes"]):
        entry["settings"]["system_prompt"] = ["c"]
        entry["settings"]["assistant_prompt"] = ["b", "a"]

    book = parse_route_book(json.dumps(document))

    assert book.default.settings.system_prompt == "system"
    assert book.get("writing").settings.assistant_prompt == "second\n\nfirst"
