"""Writes tests/vectors/records.json: batches of the recorded mode's records encoded by Python's
encoder (`veche.protocol.records`), the fields of each record, and bytes that are not a batch.

    .venv/bin/python tests/vectors/generate_records.py

Deterministic: the two real proofs come from tests/vectors/proofs.json (a registered voter's
first ballot and re-vote, with the root and scope they were proven for), so a record's public
signals can be rebuilt and its proof verified by another language; the other records hold
values at the edges of their fields. Python (tests/protocol/test_record_vectors.py) and
JavaScript (tests/js/records.test.mjs, the page's decoder) check the file.
"""

import hashlib
import json
from pathlib import Path
from typing import Any

from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.protocol.records import (
    BallotRecord,
    EncryptedBallotRecord,
    encode_record,
    encode_records,
)
from veche.protocol.spec import CIPHERTEXT_BYTES, ENCRYPTED_RECORD_BYTES, RECORD_BYTES

HERE = Path(__file__).resolve().parent
UINT32_MAX = 2**32 - 1


def _words(label: str, count: int) -> tuple[int, ...]:
    """`count` 32-byte numbers derived from `label` (any 256-bit value: the decoder checks
    no range)."""
    return tuple(
        int.from_bytes(hashlib.sha256(f"veche record vector {label} {i}".encode()).digest())
        for i in range(count)
    )


def _plain_json(record: BallotRecord) -> dict[str, Any]:
    return {
        "nullifier": str(record.nullifier),
        "proof": [str(word) for word in record.proof],
        "district": record.district,
        "choice": record.choice,
        "revision": record.revision,
    }


def _encrypted_json(record: EncryptedBallotRecord) -> dict[str, Any]:
    return {
        "nullifier": str(record.nullifier),
        "proof": [str(word) for word in record.proof],
        "district": record.district,
        "revision": record.revision,
        "ciphertext": record.ciphertext.hex(),
    }


def _proof_cases() -> tuple[list[BallotRecord], list[dict[str, Any]]]:
    """Records of the real proofs of proofs.json, and each one's check: the context its public
    signals are rebuilt from (root of its district, raw election scope) and whether the proof
    verifies for the record as it stands (a record whose revision or choice was changed after
    proving must not)."""
    proofs = {c["name"]: c for c in json.loads((HERE / "proofs.json").read_text())["cases"]}
    records, checks = [], []
    for name in ("valid_member", "valid_revote"):
        case = proofs[name]
        context = case["context"]
        record = BallotRecord(
            int(case["publicSignals"][1]),
            tuple(int(word) for word in case["packed"]),
            0,
            context["choice"],
            context["revision"],
        )
        records.append(record)
        check = {"root": case["publicSignals"][0], "scope": context["scope"]}
        checks.append({"name": name, **check, "record": _plain_json(record), "valid": True,
                       "publicSignals": case["publicSignals"]})  # fmt: skip
        changed = [
            ("revision_raised", BallotRecord(record.nullifier, record.proof, 0, record.choice,
                                             record.revision + 5)),
            ("choice_changed", BallotRecord(record.nullifier, record.proof, 0,
                                            (record.choice + 1) % 3, record.revision)),
        ]  # fmt: skip
        for suffix, other in changed:
            checks.append({"name": f"{name}_{suffix}", **check, "record": _plain_json(other),
                           "valid": False})  # fmt: skip
    return records, checks


def build() -> dict[str, Any]:
    real, checks = _proof_cases()
    edges = BallotRecord(SNARK_SCALAR_FIELD - 1, _words("edge", 8), 255, UINT32_MAX, UINT32_MAX)
    small = BallotRecord(1, (0,) * 8, 0, 0, 1)
    plain = [*real, edges, small]
    encrypted = [
        EncryptedBallotRecord(
            _words("encrypted nullifier", 1)[0] % SNARK_SCALAR_FIELD,
            _words("encrypted proof", 8),
            2,
            7,
            b"".join(w.to_bytes(32, "big") for w in _words("ciphertext", CIPHERTEXT_BYTES // 32)),
        ),
        EncryptedBallotRecord(5, (1,) * 8, 0, UINT32_MAX, bytes(CIPHERTEXT_BYTES)),
    ]
    one_plain = encode_record(plain[0])
    one_encrypted = encode_record(encrypted[0])
    malformed = [
        ("empty", "plain", b""),
        ("truncated", "plain", encode_records(plain)[:-1]),
        ("one_byte_over", "plain", one_plain + b"\x00"),
        ("half_a_record", "plain", one_plain[: RECORD_BYTES // 2]),
        ("encrypted_truncated", "encrypted", one_encrypted[:-1]),
        ("plain_read_as_encrypted", "encrypted", one_plain),
    ]
    return {
        "about": "Batches of the recorded mode's records (recordBallots, BallotsRecorded): "
        f"plain records of {RECORD_BYTES} bytes (nullifier 32, packed proof 8 x 32, district "
        "1, choice 4, revision 4) and encrypted ones of "
        f"{ENCRYPTED_RECORD_BYTES} (nullifier, proof, district, revision 4, ciphertext "
        f"{CIPHERTEXT_BYTES}), big-endian without padding (spec/protocol.json). `proofChecks`: "
        "real records (proofs of proofs.json, district 0) with the root and raw scope their "
        "public signals are rebuilt from, and whether the proof verifies; `malformed`: bytes "
        "that are not a whole number of records, which a decoder must refuse. Generated by "
        "tests/vectors/generate_records.py with veche.protocol.records.",
        "recordBytes": RECORD_BYTES,
        "encryptedRecordBytes": ENCRYPTED_RECORD_BYTES,
        "plain": {"records": [_plain_json(r) for r in plain], "bytes": encode_records(plain).hex()},
        "encrypted": {
            "records": [_encrypted_json(r) for r in encrypted],
            "bytes": encode_records(encrypted).hex(),
        },
        "proofChecks": checks,
        "malformed": [
            {"name": name, "secrecy": secrecy, "length": len(data), "bytes": data.hex()}
            for name, secrecy, data in malformed
        ],
    }


def text() -> str:
    return json.dumps(build(), indent=2) + "\n"


if __name__ == "__main__":
    (HERE / "records.json").write_text(text())
    print(f"wrote {HERE / 'records.json'}")
