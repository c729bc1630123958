"""The reference model of a Veche election.

One Python description of the rules that the contract enforces, used by the recount, by the
relayer's pre-checks and by the tests. The contract and the circuit are tested against it, so a
difference between what the chain accepted and what this model accepts is a finding, never
something to paper over.
"""

from veche.model.ballot import Ballot, Rejection
from veche.model.ballot_box import BallotBox, Outcome
from veche.model.calendar import Calendar
from veche.model.rules import DistrictRules, ElectionRules, check_ballot
from veche.model.tally import Tally
from veche.protocol import Phase, next_revision, revision_rejection

__all__ = [
    "Ballot",
    "BallotBox",
    "Calendar",
    "DistrictRules",
    "ElectionRules",
    "Outcome",
    "Phase",
    "Rejection",
    "Tally",
    "check_ballot",
    "next_revision",
    "revision_rejection",
]
