"""Checks shared by the tests of the circuits' committed key folders and of their proofs: the
folder's SHA256SUMS, snarkjs' verification of a zkey against its r1cs and powers of tau, the
verification key inside a zkey, and snarkjs' verdict on a proof."""

import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SNARKJS = [str(ROOT / "node_modules" / ".bin" / "snarkjs")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def committed_sums(folder: Path) -> dict[str, str]:
    """`folder/SHA256SUMS` as written by `sha256sum`: `<hex>  <name>` per line."""
    sums: dict[str, str] = {}
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.lstrip("*")] = digest
    return sums


def run(command: list[str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def assert_zkey_verifies(folder: Path) -> None:
    """`snarkjs zkey verify` of the folder's semaphore.zkey against its r1cs and ptau."""
    names = ("semaphore.r1cs", "pot_final.ptau", "semaphore.zkey")
    result = run([*SNARKJS, "zkey", "verify", *(str(folder / name) for name in names)])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "ZKey Ok!" in result.stdout


def exported_verification_key(folder: Path, tmp_path: Path) -> Any:
    """The verification key snarkjs exports from the folder's semaphore.zkey."""
    exported = tmp_path / "verification_key.json"
    zkey = str(folder / "semaphore.zkey")
    result = run([*SNARKJS, "zkey", "export", "verificationkey", zkey, str(exported)])
    assert result.returncode == 0, result.stderr
    return json.loads(exported.read_text())


def snarkjs_accepts(key: Path, proof: dict[str, Any], signals: list[Any], tmp_path: Path) -> bool:
    """`snarkjs groth16 verify` of snarkjs' proof JSON and public signals with `key`."""
    (tmp_path / "proof.json").write_text(json.dumps(proof))
    (tmp_path / "public.json").write_text(json.dumps([str(s) for s in signals]))
    public, proof_file = str(tmp_path / "public.json"), str(tmp_path / "proof.json")
    result = run([*SNARKJS, "groth16", "verify", str(key), public, proof_file], timeout=120)
    return result.returncode == 0 and "OK!" in result.stdout
