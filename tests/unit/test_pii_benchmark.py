"""PII benchmark scoring: overlap, exact and type-agnostic matching, and the labelled set's consistency."""

from __future__ import annotations

from office_assistant.domain.pii import PiiEntity
from office_assistant_local.bench.pii import load_labelled, score

GOLD = (PiiEntity("LOCATION", 0, 25), PiiEntity("PERSON", 30, 40))
# "Baker Street" and "London" inside the gold address, the person found with the wrong type, one false alarm.
PREDICTED = (
    PiiEntity("LOCATION", 5, 17),
    PiiEntity("LOCATION", 19, 25),
    PiiEntity("LOCATION", 30, 40),
    PiiEntity("PERSON", 50, 55),
)


def test_overlap_scoring_credits_partial_spans_of_the_right_type() -> None:
    result = score([(PREDICTED, GOLD)], "overlap")

    assert (result["precision"], result["recall"]) == (0.5, 0.5)


def test_exact_scoring_needs_identical_boundaries() -> None:
    result = score([(PREDICTED, GOLD)], "exact")

    assert (result["precision"], result["recall"], result["f1"]) == (0.0, 0.0, 0.0)


def test_type_agnostic_scoring_ignores_the_type() -> None:
    result = score([(PREDICTED, GOLD)], "overlap_any_type")

    assert (result["precision"], result["recall"]) == (0.75, 1.0)


def test_labelled_set_locates_every_entity_and_has_messages_without_pii() -> None:
    labelled = load_labelled()

    assert len(labelled) >= 40
    assert sum(1 for item in labelled if not item.gold) >= 10
    assert all(item.text[e.start : e.end] for item in labelled for e in item.gold)
