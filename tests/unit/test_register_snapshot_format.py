"""The register snapshot's bytes are fixed by a shared vector that the page's reader
(`frontend/src/lib/register.js`, tested in tests/js/snapshot.test.mjs) reads too."""

import json
from pathlib import Path

import pytest

from veche.crypto.imt import LeanIMT
from veche.register.snapshot import HEADER_BYTES, Snapshot, SnapshotError

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
VECTOR = (VECTORS / "register-snapshot.bin").read_bytes()
CASE = next(
    c for c in json.loads((VECTORS / "merkle.json").read_text())["cases"] if len(c["leaves"]) >= 7
)


def test_vector_holds_the_merkle_vectors_leaves_and_root() -> None:
    snapshot = Snapshot.from_bytes(VECTOR)
    assert snapshot.commitments == [int(leaf) for leaf in CASE["leaves"]]
    assert snapshot.root == int(CASE["root"]) == LeanIMT(snapshot.commitments).root
    assert (snapshot.chain_id, snapshot.election, snapshot.district, snapshot.block) == (
        31337,
        "0x" + "ab" * 20,
        2,
        1234,
    )
    assert snapshot.to_bytes() == VECTOR
    assert snapshot.verified_tree(int(CASE["root"])).root == snapshot.root


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (VECTOR[:40], "shorter than a header"),
        (b"NOTASNAP" + VECTOR[8:], "not a Veche register snapshot"),
        (VECTOR + b"\0", "has 225 bytes of them"),
    ],
)
def test_malformed_snapshots_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(SnapshotError, match=reason):
        Snapshot.from_bytes(data)


def test_an_altered_commitment_or_another_root_on_chain_is_refused() -> None:
    altered = bytearray(VECTOR)
    altered[HEADER_BYTES + 31] ^= 1
    with pytest.raises(SnapshotError, match="the file was altered"):
        Snapshot.from_bytes(bytes(altered)).verified_tree(int(CASE["root"]))
    with pytest.raises(SnapshotError, match="refusing it"):
        Snapshot.from_bytes(VECTOR).verified_tree(int(CASE["root"]) + 1)
