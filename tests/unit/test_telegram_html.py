"""Markdown → the HTML subset Telegram accepts, everything else escaped."""

from __future__ import annotations

from office_assistant.adapters.chat_platforms.telegram_html import to_html
from office_assistant_local.standins.telegram import html_text


def test_to_html_escapes_what_is_not_markup() -> None:
    assert to_html("Stock of <SKU-42> is 12 & rising") == "Stock of &lt;SKU-42&gt; is 12 &amp; rising"


def test_to_html_turns_bold_strike_code_and_links_into_telegram_tags() -> None:
    text = to_html("**Total**: ~~12~~ `x<y` see [invoice](https://erp.example/i?a=1&b=2)")

    assert text == (
        '<b>Total</b>: <s>12</s> <code>x&lt;y</code> see <a href="https://erp.example/i?a=1&amp;b=2">invoice</a>'
    )


def test_to_html_puts_fenced_code_in_pre_even_when_the_fence_is_not_closed() -> None:
    assert to_html("## Plan\n- a\n```\nif a < b:\n```\n```\nopen") == (
        "<b>Plan</b>\n• a\n<pre>if a &lt; b:</pre>\n<pre>open</pre>"
    )


def test_to_html_output_is_accepted_by_telegrams_parser() -> None:
    markdown = "# Report\n**bold _and_ more** ~~no~~ `code` [l](https://x.example)\n```py\n<tag> & stuff\n```\n5 > 3"

    assert html_text(to_html(markdown)).startswith("Report\nbold _and_ more no code l")
