"""Attacks and faults tested in their own feature's suite, registered here so that the catalogue
(and docs/SECURITY.md) lists them; `test_catalogue.py` checks that each test still exists."""

from tests.adversarial.catalogue import (
    ATTACKS,
    AUTHORITY,
    CONTRACT,
    FAULTS,
    RECOUNT,
    REGISTRAR,
    RELAYER,
    elsewhere,
)

REGISTRATION = "tests/integration/test_registration.py"
DURABILITY = "tests/integration/test_relayer_durability.py"

elsewhere(
    ATTACKS,
    "registration",
    "A tag computed from fewer authorities than the threshold (k - 1 of n)",
    (REGISTRAR, AUTHORITY),
    "TooFewAuthorities: '1 dedup authorities answered, 2 are needed'; no tag",
    f"{REGISTRATION}::test_k_minus_1_authorities_cannot_produce_a_tag",
)
elsewhere(
    ATTACKS,
    "registration",
    "An authority answers with a wrong evaluation (to split one person into two tags)",
    (REGISTRAR, AUTHORITY),
    "WrongEvaluation naming the authority; no batch written",
    f"{REGISTRATION}::test_an_authority_returning_a_wrong_evaluation_is_detected",
)
elsewhere(
    ATTACKS,
    "registration",
    "An authority asked to evaluate a point no registrar signed",
    (AUTHORITY,),
    "refused: only group points signed by a registrar of the election are evaluated",
    f"{REGISTRATION}::test_an_authority_evaluates_only_group_points_signed_by_a_registrar",
)
elsewhere(
    ATTACKS,
    "appeals and results",
    "An election deployed with a modified verifier",
    (RECOUNT,),
    "NOT VERIFIED: the verifier's code is not the reproducible build's",
    "tests/integration/test_recount_bytecode.py::"
    "test_an_election_with_a_modified_verifier_fails_the_recount",
)
elsewhere(
    ATTACKS,
    "ballots",
    "Batch trick: one bad proof inside a relayer's batch of good ones",
    (RELAYER, CONTRACT),
    "the bad ballot fails alone; the rest of the batch is counted",
    "tests/integration/test_relayer_batches.py::"
    "test_a_bad_proof_in_a_batch_fails_alone_and_the_rest_are_counted",
)

elsewhere(
    FAULTS,
    "relayer",
    "The relayer is killed (SIGKILL) just after answering 202 to a burst of ballots",
    (RELAYER,),
    "after a restart every accepted ballot is on chain exactly once",
    f"{DURABILITY}::test_ballots_accepted_just_before_a_crash_are_sent_after_restart",
)
elsewhere(
    FAULTS,
    "relayer",
    "The relayer is killed mid-batch: some ballots mined, some in transactions the node then "
    "loses, some still queued",
    (RELAYER,),
    "after a restart every ballot is on chain exactly once",
    f"{DURABILITY}::test_batches_in_flight_survive_a_crash_with_some_mined_and_the_rest_lost",
)
elsewhere(
    FAULTS,
    "chain",
    "The relayer crashes and the node restarts without its pending transactions",
    (RELAYER,),
    "the stored signed bytes are re-broadcast: each ballot on chain once",
    f"{DURABILITY}::test_ballots_sent_but_not_mined_survive_a_crash_and_a_lost_mempool",
)
elsewhere(
    FAULTS,
    "registration",
    "A dedup authority is down during registration",
    (REGISTRAR, AUTHORITY),
    "named and skipped while k of n answer; the same tag as with all of them",
    f"{REGISTRATION}::test_an_authority_that_is_down_is_named_and_skipped_while_enough_answer",
)
elsewhere(
    FAULTS,
    "clock",
    "A transaction at the exact second voting closes (clock skew at the boundary)",
    (CONTRACT,),
    "VotingClosed in the block whose time equals the end; accepted one second before",
    "tests/contracts/test_phases.py::test_voting_closes_at_its_end",
)
elsewhere(
    FAULTS,
    "clock",
    "A transaction at the exact second voting opens",
    (CONTRACT,),
    "refused one second before, accepted in the first second",
    "tests/contracts/test_phases.py::test_voting_opens_at_its_first_second",
)
