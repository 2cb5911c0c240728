"""PII domain: replacing found spans by `<TYPE>` placeholders."""

from __future__ import annotations

from office_assistant.domain.pii import PiiEntity, Redaction, redact_spans


def test_redact_spans_replaces_each_span_by_its_type() -> None:
    text = "Ask Jane at jane@acme.example"

    redaction = redact_spans(text, (PiiEntity("EMAIL_ADDRESS", 12, 29), PiiEntity("PERSON", 4, 8)))

    assert redaction.text == "Ask <PERSON> at <EMAIL_ADDRESS>"
    assert [e.type for e in redaction.entities] == ["PERSON", "EMAIL_ADDRESS"]


def test_redact_spans_keeps_the_first_and_longest_of_overlapping_spans() -> None:
    text = "Call Jane Doe now"

    redaction = redact_spans(
        text, (PiiEntity("PERSON", 5, 9), PiiEntity("PERSON", 5, 13), PiiEntity("LOCATION", 10, 13))
    )

    assert redaction.text == "Call <PERSON> now"
    assert redaction.entities == (PiiEntity("PERSON", 5, 13),)


def test_redact_spans_leaves_text_without_findings_unchanged() -> None:
    assert redact_spans("lunch at noon?", ()) == Redaction("lunch at noon?")


def test_redaction_types_are_sorted_and_unique() -> None:
    redaction = Redaction("x", (PiiEntity("PERSON", 0, 1), PiiEntity("EMAIL_ADDRESS", 2, 3), PiiEntity("PERSON", 4, 5)))

    assert redaction.types == ("EMAIL_ADDRESS", "PERSON")
