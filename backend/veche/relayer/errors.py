"""Refusals the relayer answers with: a stable code, its HTTP status and a one-line reason.

The codes, their statuses, their fixed reasons and the sentences the voter's page shows for them
live together in `spec/protocol.json` (`relayerErrors`), so that the page has a sentence for
every code the relayer can send.
"""

from veche.errors import VecheError
from veche.model import Rejection
from veche.protocol.spec import RELAYER_ERRORS


class RelayerRefusal(VecheError):
    """A refusal with the spec's `code`; `detail` replaces the spec's fixed reason when the
    reason carries values (the offending field, the limit)."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        entry = RELAYER_ERRORS.get(code)
        if entry is None or "status" not in entry:
            raise KeyError(f"relayer error code {code!r} is not in spec/protocol.json")
        self.status: int = entry["status"]
        self.code = code
        self.detail: str = detail if detail is not None else entry["detail"]
        super().__init__(f"{code}: {self.detail}")


def refusal_for(rejection: Rejection) -> RelayerRefusal:
    """The refusal for a reason the reference model gives (its code is the rejection's name)."""
    return RelayerRefusal(str(rejection))
