"""`veche ceremony`: three contributors and a beacon over the real ballot circuit, files passed
from hand to hand, the transcript verified, a ballot proved and verified with the exported keys,
and a transcript with one altered contribution refused.

Phase 1 here is the repository's development powers of tau (2^13, enough for the depth-20
circuit), accepted only through `--ptau-hash`; the published Hermez file is refused unless its
hash matches.
"""

import contextlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from veche.ceremony import steps
from veche.ceremony.errors import CeremonyError, PtauHashMismatch
from veche.ceremony.ptau import blake2b_file, check_ptau
from veche.cli.main import main
from veche.crypto.groth16 import Proof, VerifyingKey, verify
from veche.crypto.prover import Prover

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "zk" / "artifacts" / "depth20"
PTAU = DEV / "pot_final.ptau"
R1CS = DEV / "semaphore.r1cs"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _hash_line(out: str, label: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(label)).split()[-1]


@pytest.fixture(scope="module")
def ceremony(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Three contributors, each with only the previous person's file, then a beacon."""
    folder = tmp_path_factory.mktemp("ceremony")
    ptau_hash = blake2b_file(PTAU)
    steps.start(R1CS, PTAU, folder / "0000.zkey")
    hashes = []
    for n, who in enumerate(["Alice in Tbilisi", "Boris in Berlin", "Vera in Vilnius"], 1):
        hashes.append(steps.contribute(folder / f"{n - 1:04d}.zkey", folder / f"{n:04d}.zkey", who))
    block_hash = "0x" + "5d" * 32
    steps.beacon(folder / "0003.zkey", folder / "final.zkey", block_hash, 10, "block 123")
    yield {"folder": folder, "ptau_hash": ptau_hash, "hashes": hashes}


@pytest.fixture(scope="module")
def verified(ceremony: dict[str, Any]) -> tuple[int, str, str]:
    """`veche ceremony verify` of the final key, run once (about 20 s): exit code, output and
    errors. Two tests read it: what it lists, and the record hashes a renamed key changes."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(
            [
                "ceremony", "verify", str(ceremony["folder"] / "final.zkey"),
                "--ptau", str(PTAU), "--ptau-hash", ceremony["ptau_hash"],
                "--contains", ceremony["hashes"][1],
            ]
        )  # fmt: skip
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_verify_lists_every_contribution_and_the_beacon(
    ceremony: dict[str, Any], verified: tuple[int, str, str]
) -> None:
    code, out, err = verified
    assert code == 0, err
    for digest in ceremony["hashes"]:
        assert digest in out
    assert "Boris in Berlin" in out and "beacon 5d5d" in out
    assert "transcript OK, finalised" in out


@pytest.mark.slow
def test_exported_keys_prove_and_verify_a_ballot(
    ceremony: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, keys = ceremony["folder"], ceremony["folder"] / "keys"
    code, out, err = _run(
        capsys,
        "ceremony", "export", str(folder / "final.zkey"), "--out", str(keys),
        "--ptau", str(PTAU), "--ptau-hash", ceremony["ptau_hash"],
    )  # fmt: skip
    assert code == 0, err
    record = json.loads((keys / "transcript.json").read_text())
    assert _hash_line(out, "verification key sha256") == record["verificationKeySha256"]
    assert [c["hash"] for c in record["contributions"][:3]] == ceremony["hashes"]
    assert (keys / "verification_key.json").read_bytes() != (
        DEV / "verification_key.json"
    ).read_bytes()
    assert "contract Groth16Verifier" in (keys / "Groth16Verifier.sol").read_text()

    vectors = json.loads((ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
    member = next(case for case in vectors if case["name"] == "valid_member")
    with Prover(wasm=keys / "semaphore.wasm", zkey=keys / "semaphore.zkey") as prover:
        made = prover.prove(member["context"]["circuitInput"])
    signals = [int(s) for s in made["publicSignals"]]
    proof = Proof.from_snarkjs(made["proof"])
    assert verify(VerifyingKey.load(keys / "verification_key.json"), proof, signals)
    # The development key does not accept a ballot proved with the ceremony's key.
    assert not verify(VerifyingKey.load(DEV / "verification_key.json"), proof, signals)


@pytest.mark.slow
def test_a_transcript_with_one_altered_contribution_is_refused(
    ceremony: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ceremony["folder"]
    data = bytearray((folder / "final.zkey").read_bytes())
    # Each contribution is stored as deltaAfter, g1_s, g1_sx (64 bytes each), g2_spx (128),
    # transcript (64), type (4), parameter length (4), then the name's id and length bytes.
    name_at = data.rindex(b"Boris in Berlin")
    data[name_at - 10 - 64 - 128 - 40] ^= 0x01  # a byte of contributor 2's g1_sx
    altered = folder / "altered.zkey"
    altered.write_bytes(bytes(data))
    code, out, err = _run(
        capsys,
        "ceremony", "verify", str(altered),
        "--ptau", str(PTAU), "--ptau-hash", ceremony["ptau_hash"],
    )  # fmt: skip
    assert code == 1 and "altered.zkey does not verify" in err and "Traceback" not in err
    assert "transcript OK" not in out


def test_an_unpublished_powers_of_tau_is_refused_without_its_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(PtauHashMismatch, match="powersOfTau28_hez_final_13"):
        check_ptau(PTAU)
    code, _, err = _run(
        capsys, "ceremony", "start", "--ptau", str(PTAU), "--out", str(tmp_path / "0.zkey")
    )
    assert code == 1 and "refusing to start from an unknown powers of tau" in err
    assert not (tmp_path / "0.zkey").exists()


def test_an_unfinalised_transcript_is_not_exported(tmp_path: Path) -> None:
    contributed = steps.Transcript("00", (steps.Contribution(1, "Alice", "ab"),))
    beacon_only = steps.Transcript("00", (steps.Contribution(1, "beacon", "cd", "5d" * 32, 10),))
    for transcript in (contributed, beacon_only):
        with pytest.raises(CeremonyError, match="not finalised"):
            steps.export(
                zkey=tmp_path / "x.zkey",
                wasm=DEV / "semaphore.wasm",
                out=tmp_path / "keys",
                transcript=transcript,
                ptau_hash="00",
            )
    assert not (tmp_path / "keys").exists()


def _records(out: str) -> list[str]:
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("record ")]


@pytest.mark.slow
def test_a_renamed_contributor_changes_the_published_record_hashes(
    ceremony: dict[str, Any], verified: tuple[int, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """snarkjs does not hash names: a renamed contributor still verifies, but every record hash
    from that contribution on changes, so the hashes the contributors published expose it."""
    folder = ceremony["folder"]
    verify = ["--ptau", str(PTAU), "--ptau-hash", ceremony["ptau_hash"]]
    code, out, err = verified
    assert code == 0, err
    published = _records(out)
    assert len(published) == 4
    renamed = folder / "renamed.zkey"
    renamed.write_bytes(
        (folder / "final.zkey").read_bytes().replace(b"Boris in Berlin", b"Boris in Moscow")
    )
    code, out, err = _run(capsys, "ceremony", "verify", str(renamed), *verify)
    assert code == 0, err  # the key itself still verifies
    assert "Boris in Moscow" in out
    now = _records(out)
    assert now[0] == published[0]
    assert all(after != before for after, before in zip(now[1:], published[1:], strict=True))
