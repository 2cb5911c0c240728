"""Model markdown → the HTML subset Telegram's parse_mode=HTML accepts; everything else is escaped.

The legacy meant to do this but never imported `html`, so every text reply failed silently.
"""

from __future__ import annotations

import html
import re

from office_assistant.adapters.chat_platforms.markdown_syntax import BOLD, BULLET, FENCE, HEADING, LINK, STRIKE

_INLINE_CODE = re.compile(r"`([^`\n]+)`")


def _inline(line: str) -> str:
    """One line: code spans become <code>, the rest is escaped, then bold, strike-through and links."""
    out: list[str] = []
    position = 0
    for code in _INLINE_CODE.finditer(line):
        out.append(_formatted(line[position : code.start()]))
        out.append(f"<code>{html.escape(code[1], quote=False)}</code>")
        position = code.end()
    out.append(_formatted(line[position:]))
    return "".join(out)


def _formatted(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for link in LINK.finditer(text):
        pieces.append(_emphasis(html.escape(text[position : link.start()], quote=False)))
        label = _emphasis(html.escape(link[1], quote=False))
        pieces.append(f'<a href="{html.escape(link[2], quote=True)}">{label}</a>')
        position = link.end()
    pieces.append(_emphasis(html.escape(text[position:], quote=False)))
    return "".join(pieces)


def _emphasis(escaped: str) -> str:
    return STRIKE.sub(lambda m: f"<s>{m[1]}</s>", BOLD.sub(lambda m: f"<b>{m[2]}</b>", escaped))


def to_html(markdown: str) -> str:
    """Telegram HTML for one message's worth of markdown; an unclosed code fence runs to the end."""
    lines: list[str] = []
    code: list[str] | None = None
    for raw in markdown.split("\n"):
        if FENCE.match(raw):
            if code is None:
                code = []
            else:
                lines.append("<pre>" + html.escape("\n".join(code), quote=False) + "</pre>")
                code = None
        elif code is not None:
            code.append(raw)
        elif heading := HEADING.match(raw):
            lines.append(f"<b>{_inline(heading[1])}</b>")
        elif bullet := BULLET.match(raw):
            lines.append(f"{bullet[1]}• {_inline(raw[bullet.end() :])}")
        else:
            lines.append(_inline(raw))
    if code is not None:
        lines.append("<pre>" + html.escape("\n".join(code), quote=False) + "</pre>")
    return "\n".join(lines)
