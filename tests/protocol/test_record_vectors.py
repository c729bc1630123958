"""The shared record vectors (`tests/vectors/records.json`), which the voter's page decoder is
checked against too (`tests/js/records.test.mjs`): the file is what Python's encoder writes,
Python's decoder reads its batches back, refuses its malformed bytes, and the recount's proof
check agrees with each real record's `valid` flag."""

import json
from pathlib import Path
from typing import Any

import pytest

from tests.vectors import generate_records
from veche.crypto.groth16 import VerifyingKey, parse_packed, verify
from veche.crypto.hashing import public_signals
from veche.keys import verification_key_path
from veche.protocol.records import (
    BallotRecord,
    EncryptedBallotRecord,
    MalformedRecords,
    decode_encrypted_records,
    decode_records,
)

PATH = Path(__file__).resolve().parents[1] / "vectors" / "records.json"
VECTORS: dict[str, Any] = json.loads(PATH.read_text())


def test_the_file_is_what_the_python_encoder_writes() -> None:
    assert PATH.read_text() == generate_records.text()


def test_plain_batch_decodes_to_its_records() -> None:
    decoded = decode_records(bytes.fromhex(VECTORS["plain"]["bytes"]))
    assert decoded == [
        BallotRecord(
            int(r["nullifier"]),
            tuple(int(w) for w in r["proof"]),
            r["district"],
            r["choice"],
            r["revision"],
        )
        for r in VECTORS["plain"]["records"]
    ]


def test_encrypted_batch_decodes_to_its_records() -> None:
    decoded = decode_encrypted_records(bytes.fromhex(VECTORS["encrypted"]["bytes"]))
    assert decoded == [
        EncryptedBallotRecord(
            int(r["nullifier"]),
            tuple(int(w) for w in r["proof"]),
            r["district"],
            r["revision"],
            bytes.fromhex(r["ciphertext"]),
        )
        for r in VECTORS["encrypted"]["records"]
    ]


@pytest.mark.parametrize("case", VECTORS["malformed"], ids=lambda c: c["name"])
def test_malformed_bytes_are_refused(case: dict[str, Any]) -> None:
    decode = decode_encrypted_records if case["secrecy"] == "encrypted" else decode_records
    with pytest.raises(MalformedRecords, match="not a whole number"):
        decode(bytes.fromhex(case["bytes"]))


@pytest.mark.parametrize("case", VECTORS["proofChecks"], ids=lambda c: c["name"])
def test_the_recounts_check_agrees_with_each_records_flag(case: dict[str, Any]) -> None:
    record = case["record"]
    signals = public_signals(
        int(case["root"]),
        int(record["nullifier"]),
        record["choice"],
        record["revision"],
        int(case["scope"]),
        record["district"],
    )
    if case["valid"]:
        assert [str(s) for s in signals] == case["publicSignals"]
    proof = parse_packed([int(w) for w in record["proof"]])
    assert proof is not None
    assert verify(VerifyingKey.load(verification_key_path()), proof, signals) is case["valid"]
