"""`office-assistant tools`: the model's tool catalogue, where each tool is offered and what it needs."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from office_assistant.routes_file import load_route_book
from office_assistant.settings import Settings
from office_assistant.tools.catalogue import LEGACY_TOOL_NAMES, REQUIREMENTS, TOOLS

if TYPE_CHECKING:
    from pathlib import Path

    from office_assistant.domain.routes import RouteBook


def catalogue(book: RouteBook) -> list[dict[str, Any]]:
    """One entry per tool: name, description, platforms, routes (from the routes file), requires, replaces."""
    routes = [book.default, *book.routes]
    return [
        {
            "name": tool.name,
            "description": tool.description,
            "platforms": sorted(tool.platforms),
            "routes": [route.name for route in routes if tool.name in route.settings.tools],
            "requires": [REQUIREMENTS[need] for need in tool.requires],
            "replaces": list(tool.replaces),
            "writes": tool.writes,  # once per message (tools/once.py)
            **({"note": tool.note} if tool.note else {}),
        }
        for tool in TOOLS
    ]


def print_tools(as_json: bool, routes_file: Path | None = None) -> int:
    book = load_route_book(routes_file or Settings().routes_file)
    entries = catalogue(book)
    if as_json:
        print(json.dumps(entries, indent=2, ensure_ascii=False))
        return 0
    for entry in entries:
        print(f"{entry['name']}  ({', '.join(entry['platforms'])})")
        print(f"    {entry['description']}")
        print(f"    routes:   {', '.join(entry['routes']) or '(none)'}")
        print(f"    requires: {'; '.join(entry['requires']) or 'nothing'}")
        print(f"    replaces: {', '.join(entry['replaces']) or '(new)'}")
        if entry["writes"]:
            print("    writes:   once per message, however often Respond is retried")
        if "note" in entry:
            print(f"    note:     {entry['note']}")
    covered = {name for entry in entries for name in entry["replaces"]}
    missing = [name for name in LEGACY_TOOL_NAMES if name not in covered]
    total = len(LEGACY_TOOL_NAMES)
    print(f"\n{len(entries)} tools; legacy tools covered: {total - len(missing)}/{total}")
    if missing:
        print(f"not covered: {', '.join(missing)}")
    return 0
