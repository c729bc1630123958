"""The protocol core: the constants of `spec/protocol.json` and the rules every part applies.

One definition per rule (the phase at a moment, which revision may follow which, where a
register member sits, the next revision a voter makes): the reference model, the recount, the
relayer and the voter's client all call these, and `tests/protocol/` checks that no other
definition appears. The JavaScript twin is `frontend/src/lib/protocol.js`.
"""

from veche.protocol.phases import Phase, phase_at
from veche.protocol.records import (
    BallotMode,
    BallotRecord,
    BallotSecrecy,
    EncryptedBallotRecord,
    batch_key,
    decode_encrypted_records,
    decode_records,
    encode_records,
)
from veche.protocol.rejections import Rejection
from veche.protocol.rules import (
    RegisterGap,
    apply_replacements,
    next_revision,
    registers_from_members,
    revision_rejection,
)
from veche.protocol.spec import SPEC

__all__ = [
    "SPEC",
    "BallotMode",
    "BallotRecord",
    "BallotSecrecy",
    "EncryptedBallotRecord",
    "Phase",
    "RegisterGap",
    "Rejection",
    "apply_replacements",
    "batch_key",
    "decode_encrypted_records",
    "decode_records",
    "encode_records",
    "next_revision",
    "phase_at",
    "registers_from_members",
    "revision_rejection",
]
