"""Why a ballot does not count: the reasons of the contract's checks, in one vocabulary.

The values are stable: they appear in recount records and are the relayer's error codes for the
same refusals (`spec/protocol.json`, `relayerErrors`), so the voter's page explains each one.
"""

from enum import StrEnum


class Rejection(StrEnum):
    VOTING_CLOSED = "voting_closed"
    UNKNOWN_DISTRICT = "unknown_district"
    DISTRICT_BELOW_MINIMUM = "district_below_minimum"
    UNKNOWN_CHOICE = "unknown_choice"
    ROOT_MISMATCH = "root_mismatch"
    STALE_REVISION = "stale_revision"
    REVISION_GAP = "revision_gap"
    INVALID_PROOF = "invalid_proof"
