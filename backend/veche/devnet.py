"""Veche's processes on this machine, for the demo, the benches and the tests: a free port, and
a service (a relayer, a dedup authority) started as an operator would start it and waited for.

The one harness for local processes: `scripts/`, `bench/` and `tests/` start services through
here, and `veche.chain.anvil.Anvil` takes its port from `free_port`. Development use only: the
relayer runs in `VECHE_MODE=dev`, which accepts anvil's public keys.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

from veche.errors import VecheError

LOCALHOST = "127.0.0.1"
RELAYER_COMMAND = (sys.executable, "-m", "veche.cli.main", "relayer", "serve")


class ServiceDidNotStart(VecheError):
    """A local service exited or did not answer `/health` in time; the message ends with its
    log."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the caller binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOCALHOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServiceProcess:
    """A command serving HTTP on a port of its own, started and waited for until its `/health`
    answers 200; restartable (on a new port) after `stop` or `kill`.

    `command(port)` is the command line; `log` receives its output (appended across restarts),
    or the output goes to this terminal when it is None. A process that exits is reported at
    once; `timeout` only bounds a slow start (generous: the test machine may be loaded).
    """

    name: str
    command: Callable[[int], list[str]]
    env: Mapping[str, str] = field(default_factory=dict)
    log: Path | None = None
    cwd: Path | None = None
    timeout: float = 180.0
    url: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        port = free_port()
        env = {**os.environ, **self.env}
        if self.log is None:
            self.process = subprocess.Popen(self.command(port), env=env, cwd=self.cwd)
        else:
            with self.log.open("ab") as sink:
                self.process = subprocess.Popen(
                    self.command(port),
                    env=env,
                    cwd=self.cwd,
                    stdout=sink,
                    stderr=subprocess.STDOUT,
                )
        self.url = f"http://{LOCALHOST}:{port}"
        self._wait_for_health()
        return self

    def _wait_for_health(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = self.log.read_text(errors="replace")[-4000:] if self.log else ""
                raise ServiceDidNotStart(
                    f"the {self.name} did not answer {self.url}/health within "
                    f"{self.timeout:.0f} s:\n{output}"
                )
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no chance to flush or clean up, as in a crash or a power cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if the process has not exited within 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> Self:
        return self.start() if self.process is None else self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@dataclass
class RelayerProcess(ServiceProcess):
    """A relayer's process; its durable queue is the SQLite file `database`."""

    @property
    def database(self) -> Path:
        return Path(self.env["VECHE_RELAYER_DB"])


def relayer_process(
    rpc_url: str,
    keys: Sequence[str],
    database: Path,
    *,
    log: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> RelayerProcess:
    """`veche relayer serve` configured by its environment as an operator would, paying with
    the hex private `keys`, its queue in `database`; `env` adds or overrides variables. Not
    started: call `start()` (or use it as a context manager)."""
    settings = {
        "VECHE_RPC_URL": rpc_url,
        "VECHE_RELAYER_KEYS": ",".join("0x" + key.removeprefix("0x") for key in keys),
        "VECHE_RELAYER_DB": str(database),
        "VECHE_MODE": "dev",
        "VECHE_RATE_LIMIT": "100000/60",
        **(env or {}),
    }
    return RelayerProcess(
        "relayer",
        lambda port: [
            sys.executable,
            "-m",
            "veche.cli.main",
            "relayer",
            "serve",
            "--port",
            str(port),
        ],
        settings,
        log,
        cwd,
    )
