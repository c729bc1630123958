"""The ceremony's steps, each one call of `zk/ceremony.mjs` (snarkjs) with a one-line error.

The transcript is the .zkey file itself: snarkjs keeps in it every contribution's public key,
proof of knowledge and hash, chained from the circuit's hash, so verifying the last file against
the circuit (r1cs) and the powers of tau checks every contribution from the first to the last.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veche.ceremony.errors import CeremonyError, TranscriptInvalid
from veche.chain.paths import REPO_ROOT
from veche.chain.verifier_source import render
from veche.protocol.spec import ZK_VERIFICATION_KEY, ZK_WASM, ZK_ZKEY

SCRIPT = REPO_ROOT / "zk" / "ceremony.mjs"
MIN_BEACON_ITERATIONS = 10
"""snarkjs hashes the beacon 2^iterations times (10..63) so nobody can grind a block hash."""


@dataclass(frozen=True)
class Contribution:
    index: int
    name: str
    hash: str
    beacon: str | None = None
    iterations: int | None = None

    def as_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"index": self.index, "name": self.name, "hash": self.hash}
        if self.beacon is not None:
            entry |= {"beacon": self.beacon, "iterations": self.iterations}
        return entry


RECORD_DOMAIN = b"veche-ceremony-record/v1"


@dataclass(frozen=True)
class Transcript:
    circuit_hash: str
    contributions: tuple[Contribution, ...]

    def record_hashes(self) -> list[str]:
        """For each contribution, a running sha256 over the circuit hash and every contribution
        up to it (index, public name, contribution hash, beacon): its *record hash*.

        snarkjs does not hash a contributor's name into the contribution hash, so a name in a
        transcript could be edited without failing verification. It cannot be edited without
        changing this contribution's record hash and every later one, which the contributors
        published (each runs `veche ceremony verify` on the key they produced and publishes the
        record hash on their line)."""
        link = hashlib.sha256(RECORD_DOMAIN + self.circuit_hash.encode()).digest()
        hashes = []
        for contribution in self.contributions:
            entry = json.dumps(contribution.as_json(), sort_keys=True, separators=(",", ":"))
            link = hashlib.sha256(link + entry.encode()).digest()
            hashes.append(link.hex())
        return hashes

    @property
    def finalised(self) -> bool:
        """At least one person contributed and a beacon came last."""
        return (
            len(self.contributions) >= 2
            and self.contributions[-1].beacon is not None
            and any(c.beacon is None for c in self.contributions)
        )


def _node() -> str:
    from veche.crypto.prover import default_node

    return default_node()


def _run(request: dict[str, Any], what: str) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [_node(), str(SCRIPT)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            check=False,
        )
    except OSError as exc:
        raise CeremonyError(f"{what}: cannot start node ({exc})") from exc
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise CeremonyError(f"{what}: snarkjs failed ({tail})")
    answer: dict[str, Any] = json.loads(lines[-1])
    return answer


def _need(path: Path, what: str) -> Path:
    if not path.is_file():
        raise CeremonyError(f"{what} not found: {path}")
    return path


def _fresh(path: Path) -> Path:
    if path.exists():
        raise CeremonyError(f"{path} already exists: choose a new file for the next step")
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def start(r1cs: Path, ptau: Path, out: Path) -> str:
    """The initial key (no contribution yet); returns the circuit's hash."""
    answer = _run(
        {
            "op": "setup",
            "r1cs": str(_need(r1cs, "circuit r1cs")),
            "ptau": str(_need(ptau, "powers of tau")),
            "out": str(_fresh(out)),
        },
        "start",
    )
    if not answer.get("ok"):
        raise CeremonyError(f"start: {answer.get('reason')}")
    return str(answer["circuitHash"])


def contribute(previous: Path, out: Path, name: str, entropy: str = "") -> str:
    """Adds one secret contribution; returns the contribution hash to publish.

    The secret is drawn from the operating system (plus any text the contributor typed, plus
    snarkjs' own randomness), handed to node on stdin and never written anywhere.
    """
    secret = os.urandom(64).hex() + entropy
    answer = _run(
        {
            "op": "contribute",
            "in": str(_need(previous, "previous key")),
            "out": str(_fresh(out)),
            "name": name,
            "entropy": secret,
        },
        "contribute",
    )
    del secret
    if not answer.get("ok"):
        raise CeremonyError(f"contribute: {answer.get('reason')} (reading {previous})")
    return str(answer["hash"])


def beacon(previous: Path, out: Path, value: str, iterations: int, name: str) -> str:
    """Closes the transcript with a public random value fixed after the last contribution."""
    hex_value = value.strip().lower().removeprefix("0x")
    if not hex_value or len(hex_value) % 2 or any(c not in "0123456789abcdef" for c in hex_value):
        raise CeremonyError(f"--beacon {value!r} is not a hex value (such as a block hash)")
    if len(hex_value) < 64:
        raise CeremonyError(
            f"--beacon {value!r} has {len(hex_value) * 4} bits: use at least 256 (a block hash)"
        )
    if not MIN_BEACON_ITERATIONS <= iterations <= 63:
        raise CeremonyError(f"--iterations {iterations}: must be between 10 and 63")
    answer = _run(
        {
            "op": "beacon",
            "in": str(_need(previous, "previous key")),
            "out": str(_fresh(out)),
            "name": name,
            "beacon": hex_value,
            "iterations": iterations,
        },
        "beacon",
    )
    if not answer.get("ok"):
        raise CeremonyError(f"beacon: {answer.get('reason')}")
    return str(answer["hash"])


def verify(r1cs: Path, ptau: Path, zkey: Path) -> Transcript:
    """Checks every contribution from the circuit's initial key to `zkey`."""
    answer = _run(
        {
            "op": "verify",
            "r1cs": str(_need(r1cs, "circuit r1cs")),
            "ptau": str(_need(ptau, "powers of tau")),
            "zkey": str(_need(zkey, "transcript key")),
        },
        "verify",
    )
    if not answer.get("ok"):
        raise TranscriptInvalid(f"{zkey} does not verify: {answer.get('reason')}")
    return Transcript(
        circuit_hash=str(answer["circuitHash"]),
        contributions=tuple(
            Contribution(
                index=int(c["index"]),
                name=str(c["name"]),
                hash=str(c["hash"]),
                beacon=c.get("beacon"),
                iterations=c.get("iterations"),
            )
            for c in answer["contributions"]
        ),
    )


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


EXPORTED = (ZK_WASM, ZK_ZKEY, ZK_VERIFICATION_KEY, "Groth16Verifier.sol")


def export(
    *, zkey: Path, wasm: Path, out: Path, transcript: Transcript, ptau_hash: str
) -> dict[str, Any]:
    """Writes a key folder usable as VECHE_ZK_DIR; returns the transcript record it wrote."""
    if not transcript.finalised:
        raise CeremonyError(
            f"{zkey} is not finalised: it needs at least one contribution and a beacon last "
            "(`veche ceremony beacon`)"
        )
    out.mkdir(parents=True, exist_ok=True)
    clash = [name for name in EXPORTED if (out / name).exists()]
    if clash:
        raise CeremonyError(f"{out} already holds {', '.join(clash)}: export into a new folder")
    shutil.copyfile(_need(wasm, "witness wasm"), out / ZK_WASM)
    shutil.copyfile(zkey, out / ZK_ZKEY)
    answer = _run(
        {
            "op": "export",
            "zkey": str(out / ZK_ZKEY),
            "vkey": str(out / ZK_VERIFICATION_KEY),
            "verifier": str(out / "Groth16Verifier.sol"),
        },
        "export",
    )
    if not answer.get("ok"):
        raise CeremonyError(f"export: {answer.get('reason')}")
    # The verifier the chain runs (one proof or a batch), from the exported key, in place of
    # snarkjs' single-proof template: what `veche.chain.verifier` deploys and the recount rebuilds.
    key = out / ZK_VERIFICATION_KEY
    (out / "Groth16Verifier.sol").write_text(render(key.read_text(), key.name))
    record = {
        "ptauBlake2b512": ptau_hash,
        "circuitHash": transcript.circuit_hash,
        "contributions": [
            c.as_json() | {"record": record}
            for c, record in zip(transcript.contributions, transcript.record_hashes(), strict=True)
        ],
        "verificationKeySha256": file_sha256(out / ZK_VERIFICATION_KEY),
    }
    (out / "transcript.json").write_text(json.dumps(record, indent=2) + "\n")
    sums = [f"{file_sha256(out / name)}  {name}" for name in (*EXPORTED, "transcript.json")]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    return record
