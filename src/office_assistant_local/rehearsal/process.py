"""One function in its own process, with only what Lambda gives it: its asset, its layer, the runtime, its env.

The process is `python3.13 -s -m awslambdaric <handler>` in the function's asset folder, with a clean environment:
the template's variables (resolved), Lambda's reserved ones (AWS_LAMBDA_*, LAMBDA_TASK_ROOT, _HANDLER, ...) and
PYTHONPATH = asset : layer/python : runtime, the order Lambda puts /var/task, /opt/python and /var/runtime in.
Nothing of the dev venv is reachable: a module only the venv has fails the import, as it would in Lambda.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from office_assistant_local.rehearsal.runtime_api import InitError, Invocation, RuntimeApi

if TYPE_CHECKING:
    from pathlib import Path

REGION = "us-east-1"
ACCOUNT = "123456789012"
INIT_LIMIT_S = 10.0  # Lambda's limit on the init phase of an on-demand function


@dataclass(frozen=True)
class Sandbox:
    """What one function runs with (paths on this machine stand for /var/task, /opt and /var/runtime)."""

    name: str
    handler: str
    code_dir: Path
    layer_dir: Path  # holds python/
    runtime_dir: Path
    interpreter: Path
    environment: dict[str, str]  # the template's variables, resolved, plus the stand-in endpoints
    memory_mb: int
    timeout_s: float


def lambda_environment(sandbox: Sandbox, runtime_api: str) -> dict[str, str]:
    """The process environment: Lambda's reserved variables, then the function's own (which may not override)."""
    reserved = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        # /var/task and /opt are read-only in Lambda: nothing compiled at run time may be kept for the next start
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(
            (str(sandbox.code_dir), str(sandbox.layer_dir / "python"), str(sandbox.runtime_dir))
        ),
        "LAMBDA_TASK_ROOT": str(sandbox.code_dir),
        "LAMBDA_RUNTIME_DIR": str(sandbox.runtime_dir),
        "_HANDLER": sandbox.handler,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
        "AWS_LAMBDA_RUNTIME_API": runtime_api,
        "AWS_LAMBDA_FUNCTION_NAME": sandbox.name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(sandbox.memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{sandbox.name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "rehearsal",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "testing",  # the role's temporary credentials, here moto's dummies
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR",
        "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000",  # UDP to nobody: segments are dropped, as without a daemon
    }
    return {**sandbox.environment, **reserved}


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM of a live process (the peak resident set since exec), in MB; None once it has gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:  # noqa: PTH123 (a proc file, not a path)
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def cpu_ms(pid: int) -> float | None:
    """User + system CPU time a live process has used, in ms (from /proc/<pid>/stat); None once it has gone.

    Unlike wall time this does not grow when other work shares the cores, and Lambda gives a function
    memory/1769 of a vCPU: the CPU time tells how long the same work takes at a given memory size.
    """
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # noqa: PTH123 (a proc file, not a path)
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


class FunctionProcess:
    """Start with `start()` (returns the init time); `invoke(event)`; `stop()` ends the process."""

    def __init__(self, sandbox: Sandbox, log_path: Path) -> None:
        self.sandbox = sandbox
        self.log_path = log_path
        self.api = RuntimeApi(f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{sandbox.name}")
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    def start(self) -> float:
        """Start the process and wait for its first `next`: the init time in ms. InitError if it failed."""
        self.api.__enter__()
        self._log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [str(self.sandbox.interpreter), "-s", "-m", "awslambdaric", self.sandbox.handler],
            cwd=self.sandbox.code_dir,
            env=lambda_environment(self.sandbox, self.api.address),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        process = self._process
        try:
            return self.api.wait_ready(INIT_LIMIT_S, alive=lambda: process.poll() is None) * 1000
        except InitError:
            process.wait(timeout=10)
            raise

    def invoke(self, event: Any) -> Invocation:
        invocation = self.api.invoke(event, float(self.sandbox.timeout_s))
        invocation.cpu_ms = self.cpu_ms
        if invocation.error and invocation.error.get("errorType") == "Sandbox.Timedout":
            self.stop()  # Lambda resets a timed-out environment: the next invocation starts cold
        return invocation

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def rss_mb(self) -> float | None:
        return None if self._process is None else peak_rss_mb(self._process.pid)

    @property
    def cpu_ms(self) -> float | None:
        return None if self._process is None else cpu_ms(self._process.pid)

    def log_tail(self, lines: int = 15) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._process is not None:
            self.api.__exit__()
            self._process = None
