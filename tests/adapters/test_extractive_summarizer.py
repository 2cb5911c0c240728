"""ExtractiveSummarizer: sumy's Luhn summarizer with our regex tokenizer, offline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import nltk
import pytest

from office_assistant.adapters.summarizer import ExtractiveSummarizer, RegexTokenizer

if TYPE_CHECKING:
    from pathlib import Path

# The most representative sentence (budget, review, Monday three times over) comes last; the runner-up second.
MEETING_NOTES = (
    "Lunch today was pizza. "
    "The budget review moved to Monday. "
    "Parking is full again. "
    "Someone left an umbrella. "
    "Please read the budget draft before the budget review on Monday, the budget review needs everyone."
)


@pytest.fixture(scope="module")
def summarizer() -> ExtractiveSummarizer:
    return ExtractiveSummarizer()


def test_summary_keeps_document_order_when_the_best_sentence_comes_last(summarizer: ExtractiveSummarizer) -> None:
    summary = summarizer.summarise(MEETING_NOTES, sentences=2)

    assert summary == (
        "The budget review moved to Monday. "
        "Please read the budget draft before the budget review on Monday, the budget review needs everyone."
    )


def test_summary_has_at_most_the_requested_number_of_sentences(summarizer: ExtractiveSummarizer) -> None:
    text = " ".join(f"Sentence number {i} talks about the shared project plan." for i in range(20))

    summary = summarizer.summarise(text, sentences=3)

    assert len(RegexTokenizer().to_sentences(summary)) == 3


def test_summary_sentences_are_taken_verbatim_from_the_text(summarizer: ExtractiveSummarizer) -> None:
    summary = summarizer.summarise(MEETING_NOTES, sentences=3)

    for sentence in RegexTokenizer().to_sentences(summary):
        assert sentence in MEETING_NOTES


def test_summary_returns_short_text_unchanged(summarizer: ExtractiveSummarizer) -> None:
    text = "Can you send the invoice? Thanks!"

    summary = summarizer.summarise(text, sentences=5)

    assert summary == text


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_summary_of_empty_text_is_empty(summarizer: ExtractiveSummarizer, text: str) -> None:
    summary = summarizer.summarise(text, sentences=5)

    assert summary == ""


def test_summary_of_zero_sentences_is_empty(summarizer: ExtractiveSummarizer) -> None:
    summary = summarizer.summarise(MEETING_NOTES, sentences=0)

    assert summary == ""


def test_summary_falls_back_to_the_first_sentences_when_no_keyword_recurs(summarizer: ExtractiveSummarizer) -> None:
    text = "Cats purr. Dogs bark. Birds sing."

    summary = summarizer.summarise(text, sentences=2)

    assert summary == "Cats purr. Dogs bark."


def test_summary_takes_a_repeated_sentence_once(summarizer: ExtractiveSummarizer) -> None:
    text = "Ok. Ok. Ok. Fine. Ok."

    summary = summarizer.summarise(text, sentences=2)

    assert summary == "Ok. Fine."


def test_summary_treats_each_line_as_a_sentence_and_keeps_line_breaks(summarizer: ExtractiveSummarizer) -> None:
    text = "shopping list\nmilk and bread\nbread for the office\ncall the bank\nbread from the office bakery"

    summary = summarizer.summarise(text, sentences=2)

    assert summary == "bread for the office\nbread from the office bakery"


def test_summarizer_needs_no_nltk_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    summarizer = ExtractiveSummarizer()

    summary = summarizer.summarise(MEETING_NOTES, sentences=1)

    assert "budget review" in summary


def test_tokenizer_splits_sentences_on_terminal_punctuation_and_line_breaks() -> None:
    text = 'He said "stop!" Then he left... Really?! Yes\n- first item\n- second item'

    sentences = RegexTokenizer().to_sentences(text)

    assert sentences == ('He said "stop!"', "Then he left...", "Really?!", "Yes", "- first item", "- second item")


def test_tokenizer_keeps_contractions_and_drops_punctuation_from_words() -> None:
    words = RegexTokenizer().to_words("Don't stop-me now, it's 5pm.")

    assert words == ("Don't", "stop", "me", "now", "it's", "5pm")
