"""Extractive summaries with sumy's Luhn summarizer: offline (no NLTK data), sentences kept in document order."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.utils import get_stop_words

if TYPE_CHECKING:
    from collections.abc import Iterator

# A sentence ends at . ! ? or … (a run of them, then any closing quotes or brackets) before whitespace or the end
# of the line; a line break always ends one, so chat lines without punctuation stay separate sentences.
_LINE = re.compile(r"[^\r\n]+")
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


class RegexTokenizer:
    """The tokenizer sumy's models call (`to_sentences`, `to_words`), built on regexes instead of NLTK's punkt data.

    Abbreviations such as "e.g." end a sentence here; for chat history that costs less than shipping punkt.
    """

    def __init__(self, language: str = "english") -> None:
        self.language = language

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(paragraph[span.start : span.end] for span in _sentence_spans(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


class ExtractiveSummarizer:
    """Summarizer that keeps the sentences richest in the text's recurring keywords (Luhn), in the text's order.

    Luhn rates a sentence by its densest cluster of significant words (non-stop-word stems seen more than once in
    the text); sentences that rate alike keep their order, so text without recurring keywords yields its first
    sentences. It needs no model, no NLTK data and no numpy: stems come from NLTK's Snowball stemmer, stop words
    from the list bundled with sumy.
    """

    def __init__(self, language: str = "english") -> None:
        self._tokenizer = RegexTokenizer(language)
        self._luhn = LuhnSummarizer(Stemmer(language))
        self._luhn.stop_words = get_stop_words(language)

    def summarise(self, text: str, sentences: int) -> str:
        """At most `sentences` sentences of `text`, in document order; `text` (stripped) when it has no more."""
        spans = list(_sentence_spans(text))
        if not spans or sentences <= 0:
            return ""
        if len(spans) <= sentences:
            return text.strip()
        return _join(text, self._best(text, spans, sentences))

    def _best(self, text: str, spans: list[_Span], count: int) -> list[_Span]:
        # A repeated sentence is a candidate once, at its first place.
        first_spans: dict[str, _Span] = {}
        for span in spans:
            first_spans.setdefault(text[span.start : span.end], span)
        by_identity: dict[int, _Span] = {}
        candidates = []
        for sentence_text, span in first_spans.items():
            sentence = Sentence(sentence_text, self._tokenizer)
            by_identity[id(sentence)] = span
            candidates.append(sentence)
        chosen = self._luhn(ObjectDocumentModel([Paragraph(candidates)]), count)
        return sorted((by_identity[id(sentence)] for sentence in chosen), key=lambda span: span.start)


def _sentence_spans(text: str) -> Iterator[_Span]:
    """Sentences of `text` as spans, stripped, skipping fragments with no letter or digit (rules, emoji-only)."""
    for line in _LINE.finditer(text):
        start = line.start()
        for end in _SENTENCE_END.finditer(text, line.start(), line.end()):
            yield from _stripped(text, start, end.end())
            start = end.end()
        yield from _stripped(text, start, line.end())


def _stripped(text: str, start: int, end: int) -> Iterator[_Span]:
    fragment = text[start:end]
    if not _WORD.search(fragment):
        return
    leading = len(fragment) - len(fragment.lstrip())
    trailing = len(fragment) - len(fragment.rstrip())
    yield _Span(start + leading, end - trailing)


def _join(text: str, spans: list[_Span]) -> str:
    """Chosen sentences joined by a line break where the text had one between them, else by a space."""
    parts = [text[spans[0].start : spans[0].end]]
    for previous, span in pairwise(spans):
        gap = text[previous.end : span.start]
        parts.append("\n" if "\n" in gap or "\r" in gap else " ")
        parts.append(text[span.start : span.end])
    return "".join(parts)
