"""The protocol's constants, read from `spec/protocol.json` (the one machine-readable spec).

Each constant below is the spec's value, typed; nothing here restates a number. The JavaScript
side imports the same file, and the Solidity constants are checked against it by a test.
"""

import json
from pathlib import Path
from typing import Any

from veche.chain.paths import REPO_ROOT

SPEC_PATH = REPO_ROOT / "spec" / "protocol.json"


def _load(path: Path) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


SPEC = _load(SPEC_PATH)

SNARK_SCALAR_FIELD = int(SPEC["encoding"]["snarkScalarField"])
MESSAGE_FIELD_BITS: int = SPEC["encoding"]["message"]["fieldBits"]
MESSAGE_DISTRICT_SHIFT: int = SPEC["encoding"]["message"]["districtShift"]
MESSAGE_REVISION_SHIFT: int = SPEC["encoding"]["message"]["revisionShift"]
MESSAGE_CHOICE_SHIFT: int = SPEC["encoding"]["message"]["choiceShift"]
PROOF_ELEMENTS: int = SPEC["encoding"]["proofElements"]
PUBLIC_SIGNALS: int = len(SPEC["encoding"]["publicSignals"])

FIRST_REVISION: int = SPEC["revision"]["first"]
MAX_REVISION: int = SPEC["revision"]["max"]
REVISION_STEP: int = SPEC["revision"]["step"]

TREE_DEPTH: int = SPEC["register"]["depth"]
MAX_MEMBERS: int = SPEC["register"]["maxMembers"]
EMPTY_ROOT = int(SPEC["register"]["emptyRoot"])

RECOVERY_APPROVALS: int = SPEC["recovery"]["defaultApprovals"]
RECOVERY_DOMAIN_NAME: str = SPEC["recovery"]["domainName"]
RECOVERY_DOMAIN_VERSION: str = SPEC["recovery"]["domainVersion"]
RECOVERY_APPROVAL_TYPE: str = SPEC["recovery"]["approvalType"]

MAX_DISTRICTS: int = SPEC["limits"]["maxDistricts"]
RELAYER_BODY_BYTES: int = SPEC["limits"]["relayerBodyBytes"]

CAST_BALLOT_GAS: int = SPEC["gas"]["castBallot"]
CAST_BALLOTS_BASE_GAS: int = SPEC["gas"]["castBallotsBase"]
CAST_BALLOTS_PER_BALLOT_GAS: int = SPEC["gas"]["castBallotsPerBallot"]
TRANSACTION_GAS_CAP: int = SPEC["gas"]["transactionCap"]

ZK_DIR_VARIABLE: str = SPEC["zk"]["envVar"]
ZK_DEVELOPMENT_DIR: str = SPEC["zk"]["developmentDir"]
ZK_WASM: str = SPEC["zk"]["wasm"]
ZK_ZKEY: str = SPEC["zk"]["zkey"]
ZK_VERIFICATION_KEY: str = SPEC["zk"]["verificationKey"]

RELAYER_ERRORS: dict[str, dict[str, Any]] = SPEC["relayerErrors"]
"""Every code a relayer answers with: its HTTP status, its fixed detail (if it has one) and the
sentence the voter's page shows for it in each language."""

BALLOT_MODES: tuple[str, ...] = tuple(SPEC["ballotModes"]["modes"])
DEFAULT_BALLOT_MODE: str = SPEC["ballotModes"]["default"]
RECORD_BYTES: int = SPEC["ballotModes"]["record"]["bytes"]
RECORD_LAYOUT: tuple[tuple[str, int], ...] = tuple(
    (part["field"], part["bytes"]) for part in SPEC["ballotModes"]["record"]["layout"]
)
MAX_RECORDS_PER_BATCH: int = SPEC["ballotModes"]["record"]["maxPerBatch"]
RECORD_BALLOTS_BASE_GAS: int = SPEC["gas"]["recordBallotsBase"]
RECORD_BALLOTS_PER_RECORD_GAS: int = SPEC["gas"]["recordBallotsPerRecord"]
CHALLENGE_BALLOT_GAS: int = SPEC["gas"]["challengeBallot"]
CHALLENGE_BALLOT_PER_RECORD_GAS: int = SPEC["gas"]["challengeBallotPerRecord"]

BALLOT_SECRECIES: tuple[str, ...] = tuple(SPEC["encryption"]["secrecies"])
DEFAULT_BALLOT_SECRECY: str = SPEC["encryption"]["default"]
ENCRYPTED_OPTIONS: int = SPEC["encryption"]["options"]
CIPHERTEXT_BYTES: int = SPEC["encryption"]["ciphertextBytes"]
ENCRYPTED_PUBLIC_SIGNALS: int = SPEC["encryption"]["publicSignalCount"]
ENCRYPTED_RECORD_BYTES: int = SPEC["encryption"]["record"]["bytes"]
ENCRYPTED_RECORD_LAYOUT: tuple[tuple[str, int], ...] = tuple(
    (part["field"], part["bytes"]) for part in SPEC["encryption"]["record"]["layout"]
)
DECRYPTION_ENTRY_BYTES: int = SPEC["encryption"]["decryptionEntryBytes"]
ZK_ENCRYPTED_DEVELOPMENT_DIR: str = SPEC["encryption"]["developmentDir"]
