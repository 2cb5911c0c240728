"""Markdown → Slack mrkdwn and Block Kit messages within Slack's limits."""

from __future__ import annotations

from office_assistant.adapters.chat_platforms.slack_mrkdwn import (
    MAX_BLOCKS,
    MAX_SECTION_CHARS,
    to_messages,
    to_mrkdwn,
)


def test_to_mrkdwn_turns_markdown_bold_strike_and_links_into_slack_markup() -> None:
    text = to_mrkdwn("**Total**: ~~12~~ 14, see [the invoice](https://erp.example/inv?id=1&x=2)")

    assert text == "*Total*: ~12~ 14, see <https://erp.example/inv?id=1&x=2|the invoice>"


def test_to_mrkdwn_turns_headings_into_bold_lines_and_bullets_into_dots() -> None:
    assert to_mrkdwn("## Orders\n- one\n* two") == "*Orders*\n• one\n• two"


def test_to_mrkdwn_escapes_control_characters_and_leaves_code_alone() -> None:
    text = to_mrkdwn("Tell <!channel> `a **b**`\n```\nx = **y** < 3\n```")

    assert text == "Tell &lt;!channel&gt; `a **b**`\n```\nx = **y** &lt; 3\n```"


def test_to_messages_keeps_every_section_within_3000_characters() -> None:
    messages = to_messages("word " * 2000)

    [(fallback, blocks)] = messages
    assert all(len(block["text"]["text"]) <= MAX_SECTION_CHARS for block in blocks)
    assert len(blocks) == 4
    assert len(fallback) <= 3000


def test_to_messages_continues_in_a_second_message_after_50_blocks() -> None:
    messages = to_messages("\n\n".join(f"paragraph {i}" for i in range(70)))

    assert [len(blocks) for _, blocks in messages] == [MAX_BLOCKS, 20]
    assert messages[1][1][0]["text"]["text"] == "paragraph 50"


def test_to_messages_closes_and_reopens_a_code_block_cut_across_sections() -> None:
    code = "```\n" + "\n".join(f"line {i:04d} " + "x" * 40 for i in range(120)) + "\n```"

    [(_, blocks)] = to_messages(code)

    assert len(blocks) > 1
    assert all(block["text"]["text"].count("```") % 2 == 0 for block in blocks)
