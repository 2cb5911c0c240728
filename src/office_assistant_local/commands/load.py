"""`office-assistant load`: a bounded run of concurrent signed Slack deliveries against `serve`, on loopback only.

Each sender posts `max_per_sender` fresh messages to its own channel, spread evenly over `seconds`; with
probability `duplicates` a delivery is sent a second time, byte for byte, as Slack's retries are. Then it waits
for the server's executions to drain and reports throughput, ack p50/p99, replies posted vs expected and lost
messages (sent, not stored).
"""

from __future__ import annotations

import json
import random
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from office_assistant_local.commands.serve import STATS_PATH
from office_assistant_local.environment import SLACK_SIGNING_SECRET
from office_assistant_local.platform_requests import SlackSender

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
SLACK_RETRIES = 3


@dataclass
class SenderResult:
    channel: str
    unique: int = 0
    duplicates: int = 0
    acks_ms: list[float] = field(default_factory=list)
    non_200: int = 0
    statuses: dict[int, int] = field(default_factory=dict)


def _post(url: str, event: dict[str, Any]) -> tuple[int, float]:
    body = event["body"].encode("utf-8")
    request = urllib.request.Request(url + "/slack/events", data=body, headers=event["headers"], method="POST")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback, checked)
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:  # refused, reset or timed out: no answer, which Slack also re-sends
        status = 0
    return status, (time.perf_counter() - started) * 1000


def _sender(
    url: str, channel: str, index: int, deadline: float, max_messages: int, duplicates: float, seed: int
) -> SenderResult:
    rng = random.Random(seed + index)
    sender = SlackSender(SLACK_SIGNING_SECRET)
    result = SenderResult(channel=channel)
    start = time.monotonic()
    interval = (deadline - start) / max_messages  # spread the sender's messages over the run
    while time.monotonic() < deadline and result.unique < max_messages:
        time.sleep(max(0.0, start + result.unique * interval - time.monotonic()))
        event, _ = sender.message_event(result.channel, "U0LOAD", f"load message {result.unique} from {index}")
        deliveries = 2 if rng.random() < duplicates else 1
        for attempt in range(deliveries):
            result.duplicates += attempt > 0
            for retry in range(SLACK_RETRIES + 1):  # Slack re-sends a delivery that did not get a 200
                if retry:
                    event["headers"] = {**event["headers"], "x-slack-retry-num": str(retry)}
                status, ms = _post(url, event)
                result.acks_ms.append(ms)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    break
                result.non_200 += 1
        result.unique += 1
    return result


def _stats(url: str, channels: list[str]) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}{STATS_PATH}?channels={','.join(channels)}", timeout=10) as r:  # noqa: S310
        data: dict[str, Any] = json.loads(r.read())
    return data


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_load(
    url: str,
    senders: int = 20,
    seconds: float = 60.0,
    duplicates: float = 0.1,
    max_per_sender: int = 25,
    drain_s: float = 600.0,
    seed: int = 7,
) -> dict[str, Any]:
    """Run the load, wait for the workflow to drain (at most `drain_s`), return the report."""
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise ValueError(f"load runs on loopback only, not {host!r}")
    if not (1 <= senders <= 200 and 0 < seconds <= 600 and 0 <= duplicates <= 1):
        raise ValueError("senders must be 1-200, seconds 0-600, duplicates 0-1")
    run_tag = uuid.uuid4().hex[:6].upper()  # fresh channels: a server kept running between loads counts right
    results = [SenderResult(f"CL{run_tag}{i:03d}") for i in range(senders)]
    deadline = time.monotonic() + seconds
    started = time.perf_counter()

    def run(i: int) -> None:
        results[i] = _sender(url, results[i].channel, i, deadline, max_per_sender, duplicates, seed)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    send_s = time.perf_counter() - started
    channels = [r.channel for r in results]
    drain_deadline = time.monotonic() + drain_s
    while (stats := _stats(url, channels))["executions_pending"] and time.monotonic() < drain_deadline:
        time.sleep(0.5)
    total_s = time.perf_counter() - started
    acks = [ms for r in results for ms in r.acks_ms]
    unique = sum(r.unique for r in results)
    return {
        "senders": senders,
        "seconds": seconds,
        "duplicate_rate": duplicates,
        "deliveries": len(acks),
        "unique_messages": unique,
        "duplicate_deliveries": sum(r.duplicates for r in results),
        "non_200_then_retried": sum(r.non_200 for r in results),
        "statuses": {
            str(k): sum(r.statuses.get(k, 0) for r in results) for k in sorted({k for r in results for k in r.statuses})
        },
        "ack_throughput_per_s": round(len(acks) / send_s, 1),
        "ack_p50_ms": round(_percentile(acks, 0.5), 2),
        "ack_p99_ms": round(_percentile(acks, 0.99), 2),
        "answered_throughput_per_s": round(stats["replies_posted"] / total_s, 2),
        "drain_s": round(total_s - send_s, 1),
        "executions_started": stats["executions_started"],
        "executions_pending": stats["executions_pending"],
        "executions_failed": stats["executions_failed"],
        "replies_expected": unique,
        "replies_posted": stats["replies_posted"],
        "replies_stored": stats["replies_stored"],
        "user_messages_stored": stats["user_messages_stored"],
        "lost": unique - stats["user_messages_stored"],
        "answered_twice": max(0, stats["replies_posted"] - unique),
    }


def load(url: str, senders: int, seconds: float, duplicates: float, output: Any, max_per_sender: int = 25) -> int:
    """CLI: run, write the JSON report to `output`, print it; non-zero if anything was lost or answered twice."""
    from pathlib import Path

    report = run_load(url, senders, seconds, duplicates, max_per_sender)
    text = json.dumps(report, indent=2)
    if output:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text + "\n", encoding="utf-8")
    print(text)
    answered = report["replies_posted"] == report["replies_expected"]
    ok = report["lost"] == 0 and report["answered_twice"] == 0 and answered
    return 0 if ok else 1
