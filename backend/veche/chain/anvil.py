"""A local anvil chain for demos, integration tests and benchmarks, plus its clock controls.

anvil comes from npm (`@foundry-rs/anvil`), so it is available on the offline machines where no
other chain binary can be downloaded. It starts in well under a second and has native
precompiles, so Groth16 verification costs what it costs on a real chain.
"""

import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import requests
from web3 import Web3

from veche.chain.paths import ANVIL_BINARY
from veche.devnet import free_port
from veche.errors import ChainError

DEV_CHAIN_ID = 31337
"""anvil's default chain id, used by every local Veche chain."""


class Anvil:
    """A running anvil node on 127.0.0.1 at a free port; stop it with `stop()` or `with`.

    Its accounts are the well-known development accounts of anvil's default mnemonic: never
    send real value to them.
    """

    def __init__(
        self,
        *,
        chain_id: int = DEV_CHAIN_ID,
        accounts: int = 10,
        gas_limit: int = 30_000_000,
        binary: Path = ANVIL_BINARY,
        startup_timeout: float = 15.0,
        extra_args: Sequence[str] = (),
    ) -> None:
        """`extra_args` go to anvil as they are (e.g. `--load-state FILE`, `--dump-state FILE`
        for a benchmark chain built once and reused)."""
        self.chain_id = chain_id
        self._accounts = accounts
        self._gas_limit = gas_limit
        self._binary = binary
        self._startup_timeout = startup_timeout
        self._extra_args = list(extra_args)
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None

    @property
    def rpc_url(self) -> str:
        """The node's HTTP JSON-RPC address."""
        if self._port is None:
            raise ChainError("anvil is not running")
        return f"http://127.0.0.1:{self._port}"

    def start(self) -> Self:
        """Starts anvil and returns once it answers JSON-RPC; raises `ChainError` otherwise."""
        if self._process is not None:
            raise ChainError("anvil is already running")
        if not self._binary.exists():
            raise ChainError(f"no anvil at {self._binary} (run npm ci)")
        self._port = free_port()
        self._process = subprocess.Popen(
            [
                str(self._binary),
                "--host", "127.0.0.1",
                "--port", str(self._port),
                "--chain-id", str(self.chain_id),
                "--accounts", str(self._accounts),
                "--gas-limit", str(self._gas_limit),
                "--silent",
                *self._extra_args,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            self._wait_until_ready()
        except ChainError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Kills anvil and reaps the process, so that no zombie is left behind."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=120)  # time for anvil to write a --dump-state file
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + self._startup_timeout
        request: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "eth_chainId",
            "params": [],
        }
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                stderr = self._process.stderr.read().decode() if self._process.stderr else ""
                raise ChainError(f"anvil exited with {self._process.returncode}: {stderr.strip()}")
            try:
                answer = requests.post(self.rpc_url, json=request, timeout=1).json()
                if int(answer["result"], 16) == self.chain_id:
                    return
            except (requests.RequestException, ValueError, KeyError):
                pass
            time.sleep(0.02)
        raise ChainError(f"anvil did not answer on {self.rpc_url} within {self._startup_timeout} s")


def latest_timestamp(w3: Web3) -> int:
    """The timestamp of the latest block."""
    return int(w3.eth.get_block("latest")["timestamp"])


def set_next_timestamp(w3: Web3, timestamp: int) -> None:
    """Makes the next mined block carry exactly `timestamp` (for window boundary tests)."""
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])  # type: ignore[arg-type]


def mine(w3: Web3, timestamp: int | None = None) -> int:
    """Mines one empty block, at `timestamp` if given; returns the block's timestamp."""
    if timestamp is not None:
        set_next_timestamp(w3, timestamp)
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    return latest_timestamp(w3)


def time_travel(w3: Web3, seconds: int) -> int:
    """Moves the chain's clock forward by `seconds` and mines a block; returns its timestamp."""
    w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    return mine(w3)


def snapshot(w3: Web3) -> str:
    """Saves the chain's state; `revert_to(w3, id)` restores it (each id works once)."""
    answer = w3.provider.make_request("evm_snapshot", [])  # type: ignore[arg-type]
    return str(answer["result"])


def revert_to(w3: Web3, snapshot_id: str) -> None:
    """Restores the state saved by `snapshot`; raises `ChainError` if the id is unknown."""
    answer = w3.provider.make_request("evm_revert", [snapshot_id])  # type: ignore[arg-type]
    if answer.get("result") is not True:
        raise ChainError(f"anvil could not revert to snapshot {snapshot_id}: {answer}")
