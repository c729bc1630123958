"""Refusals the relayer answers with: an HTTP status, a stable code and a one-line reason."""

from veche.errors import VecheError
from veche.model import Rejection


class RelayerRefusal(VecheError):
    def __init__(self, status: int, code: str, detail: str) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}")


REJECTION_STATUS: dict[Rejection, tuple[int, str]] = {
    Rejection.VOTING_CLOSED: (403, "voting is not open for this election"),
    Rejection.UNKNOWN_DISTRICT: (422, "the election has no such district"),
    Rejection.DISTRICT_BELOW_MINIMUM: (
        422,
        "voting is not open in this district: too few voters are registered there to hide among",
    ),
    Rejection.UNKNOWN_CHOICE: (422, "the choice is not one of the district's lists"),
    Rejection.ROOT_MISMATCH: (
        422,
        "the proof is for a register other than this election's (not a registered voter?)",
    ),
    Rejection.STALE_REVISION: (
        409,
        "a ballot with this or a higher revision is already counted for this voter",
    ),
    Rejection.REVISION_GAP: (
        409,
        "the revision skips ahead: a ballot must carry the voter's latest revision plus one",
    ),
    Rejection.INVALID_PROOF: (422, "the zero-knowledge proof does not verify"),
}


def refusal_for(rejection: Rejection) -> RelayerRefusal:
    status, detail = REJECTION_STATUS[rejection]
    return RelayerRefusal(status, str(rejection), detail)
