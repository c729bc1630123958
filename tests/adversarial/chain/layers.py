"""Asking two layers about one ballot: the reference model (the relayer's pre-check and the
recount) with the rules read from the chain, and the contract itself."""

from tests.contracts.ballots import Ballot
from veche.chain.anvil import latest_timestamp
from veche.chain.election import ElectionContract
from veche.keys import DEV_ZK_DIR
from veche.model import Ballot as ModelBallot
from veche.model import DistrictRules, ElectionRules, Rejection, check_ballot
from veche.model.proofs import load_check

PROOF_OK = load_check(DEV_ZK_DIR / "verification_key.json")


def rules_of(election: ElectionContract) -> ElectionRules:
    """The rules as the relayer reads them from the chain (`relayer/elections.py`)."""
    return ElectionRules(
        calendar=election.calendar(),
        scope=election.scope(),
        districts=tuple(
            DistrictRules(d.option_count, d.merkle_root, d.member_count, d.minimum_members)
            for d in election.districts()
        ),
    )


def model_verdict(
    election: ElectionContract, ballot: Ballot, cast_at: int | None = None
) -> Rejection | None:
    """What the relayer and the recount say of `ballot` if it were cast now (or at `cast_at`)."""
    stored = election.ballot_of(ballot.nullifier).revision if ballot.nullifier < 2**256 else 0
    when = latest_timestamp(election.w3) + 1 if cast_at is None else cast_at
    return check_ballot(
        rules_of(election),
        ModelBallot(
            ballot.nullifier,
            ballot.district,
            ballot.choice,
            ballot.revision,
            ballot.merkle_root,
            ballot.proof,
            when,
        ),
        stored,
        PROOF_OK,
    )
