"""The Markdown constructs that model replies use, as patterns shared by the Slack and Telegram converters."""

from __future__ import annotations

import re

FENCE = re.compile(r"^\s*```")
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)[-*+]\s+")
RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
