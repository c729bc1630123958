"""The ballot box: which ballot of each voter counts, and what happened to every other one."""

from collections import Counter
from dataclasses import dataclass, field

from veche.model.ballot import Ballot, Rejection
from veche.model.rules import ElectionRules, ProofCheck, check_ballot
from veche.model.tally import Tally


@dataclass(frozen=True)
class Outcome:
    """What casting one ballot did: counted (possibly replacing an earlier one) or refused."""

    ballot: Ballot
    rejection: Rejection | None = None
    replaced: Ballot | None = None

    @property
    def accepted(self) -> bool:
        return self.rejection is None


@dataclass
class BallotBox:
    """Applies ballots in chain order; a later valid ballot of a voter replaces the earlier one.

    A voter is known only by the nullifier, which the circuit derives from the voter's secret and
    the election, so the same voter always lands on the same entry and never adds a second vote.
    """

    rules: ElectionRules
    proof_ok: ProofCheck
    current: dict[int, Ballot] = field(default_factory=dict)
    superseded: list[Ballot] = field(default_factory=list)
    rejected: list[tuple[Ballot, Rejection]] = field(default_factory=list)
    keep_rejected: bool = True
    """False: refused ballots are only counted by reason, not kept in `rejected` (a recount of
    a million records, most of them copies, would keep a million ballots for nothing)."""
    refusals: Counter[Rejection] = field(default_factory=Counter)

    def stored_revision(self, nullifier: int) -> int:
        ballot = self.current.get(nullifier)
        return 0 if ballot is None else ballot.revision

    def cast(self, ballot: Ballot) -> Outcome:
        rejection = check_ballot(
            self.rules, ballot, self.stored_revision(ballot.nullifier), self.proof_ok
        )
        if rejection is not None:
            self.refusals[rejection] += 1
            if self.keep_rejected:
                self.rejected.append((ballot, rejection))
            return Outcome(ballot, rejection=rejection)
        replaced = self.current.get(ballot.nullifier)
        if replaced is not None:
            self.superseded.append(replaced)
        self.current[ballot.nullifier] = ballot
        return Outcome(ballot, replaced=replaced)

    @property
    def seen(self) -> int:
        return len(self.current) + len(self.superseded) + self.refusals.total()

    def rejection_counts(self) -> dict[str, int]:
        return {str(reason): count for reason, count in self.refusals.items()}

    def tallies(self) -> list[Tally]:
        """Votes per option in each district (index = district), from the counted ballots."""
        choices: list[list[int]] = [[] for _ in self.rules.districts]
        for ballot in self.current.values():
            choices[ballot.district].append(ballot.choice)
        return [
            Tally.count(district.option_count, district_choices)
            for district, district_choices in zip(self.rules.districts, choices, strict=True)
        ]
