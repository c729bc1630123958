"""The election definition as typed, frozen values: what `parse` returns once a file is valid."""

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from veche.definition.calendar import ElectionCalendar
from veche.protocol.records import BallotMode, BallotSecrecy
from veche.seats import Method, TieBreak


@dataclass(frozen=True)
class PartyList:
    """A list on the ballot: its name, and its candidates in the order they take seats.

    An independent candidate is a list of one.
    """

    name: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class District:
    """A territory with its own register, its own ballot and its own seats."""

    id: str
    """Short, stable identifier (`europe-west`): used on chain, in `--exclude`, in records."""
    name: str
    seats: int
    min_registered: int
    """Voting may not open in this district while its register holds fewer voters: a tiny
    district would make its voters easy to identify."""
    lists: tuple[PartyList, ...]
    """The ballot, in ballot order (option index = position; ties are broken by it)."""


@dataclass(frozen=True)
class NationalList:
    """Seats allocated on the sum, over all districts, of each list's votes (by list name)."""

    seats: int
    lists: tuple[PartyList, ...]


@dataclass(frozen=True)
class ElectionDefinition:
    """Everything fixed and published before the election; its hash is stored on chain."""

    title: str
    method: Method
    threshold_percent: Fraction | None
    """Share of a count's valid votes a list needs to take part in that count's seats."""
    tie_break: TieBreak
    calendar: ElectionCalendar
    districts: tuple[District, ...]
    national: NationalList | None
    verification_key_sha256: str | None = None
    """sha256 of the ballot circuit's `verification_key.json` from the election's ceremony; the
    deploy, the relayers, the page and the recount refuse any other key. None: not pinned
    (development only: production mode refuses it)."""
    ballot_mode: BallotMode = BallotMode.VERIFIED
    """How ballots are taken: verified on chain, or recorded by authorised relayers and verified
    by every recount (docs/PROTOCOL.md, "Ballot modes"). Fixed in the contract at deployment."""
    recovery_approvals: int | None = None
    """Registrars that must approve replacing a lost key's commitment (0: no recovery; never 1).
    None: the protocol's default (spec/protocol.json `recovery.defaultApprovals`)."""
    ballot_secrecy: BallotSecrecy = BallotSecrecy.PLAIN
    """What a ballot carries: its choice, or an ElGamal ciphertext of it under the election
    key (docs/PROTOCOL.md, "Encrypted ballots"). Fixed in the contract at deployment."""
    election_key: Path | None = None
    """The election key file (encrypted elections only), where it was read; not hashed: its
    content is, through `election_key_sha256`."""
    election_key_sha256: str | None = None
    """sha256 of the election key file's bytes (encrypted elections only): the deploy, the
    recount and the trustees refuse any other key."""

    @property
    def effective_recovery_approvals(self) -> int:
        """The threshold the Election is deployed with, and the recount expects."""
        from veche.protocol.spec import RECOVERY_APPROVALS

        return RECOVERY_APPROVALS if self.recovery_approvals is None else self.recovery_approvals

    @property
    def district_seats(self) -> int:
        return sum(d.seats for d in self.districts)

    @property
    def total_seats(self) -> int:
        return self.district_seats + (self.national.seats if self.national else 0)

    def district(self, district_id: str) -> District:
        """The district called `district_id` (KeyError if there is none)."""
        for district in self.districts:
            if district.id == district_id:
                return district
        raise KeyError(district_id)
