"""Attacks and faults tested in their own feature's suite, registered here so that the catalogue
(and docs/SECURITY.md) lists them; `test_catalogue.py` checks that each test still exists."""

from tests.adversarial.catalogue import (
    ATTACKS,
    AUTHORITY,
    CONTRACT,
    FAULTS,
    PAGE,
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

BATCHES = "tests/contracts/test_batches.py"
for area, name, refusal, test in (
    (
        "ballots",
        "Batch trick: one valid proof of another ballot swapped into a batch",
        "InvalidProofInBatch(index, nullifier): the whole batch reverts, the culprit named",
        "test_one_bad_proof_reverts_the_whole_batch_and_is_named",
    ),
    (
        "proofs",
        "Batch trick: two invalid proofs whose errors cancel in a summed check (C1 + D, C2 - D)",
        "InvalidProofInBatch(0, nullifier): coefficients from the batch's hash weigh them apart",
        "test_two_invalid_proofs_that_cancel_out_do_not_pass",
    ),
    (
        "proofs",
        "Field aliasing in a batch: a counted ballot again with nullifier + r",
        "InvalidProofInBatch(1, nullifier + r); the count stays 1",
        "test_a_nullifier_beyond_the_field_is_refused_in_a_batch",
    ),
    (
        "ballots",
        "Batch trick: the same ballot twice in one batch (a double count)",
        "the second copy is skipped (BallotSkipped(nullifier, 1, 1)): counted once",
        "test_a_ballot_twice_in_one_batch_counts_once",
    ),
    (
        "ballots",
        "Batch trick: two ballots of one voter at the same revision in one batch",
        "the first counts, the second is skipped",
        "test_two_ballots_of_one_voter_at_one_revision_count_once",
    ),
    (
        "ballots",
        "Batch trick: a ballot that skips a revision hidden in a batch",
        "RevisionGap(nullifier, 2, 1): the whole batch reverts",
        "test_a_batch_with_a_ballot_that_skips_a_revision_reverts",
    ),
    (
        "ballots",
        "Front-running: a ballot copied out of a pending batch and sent first (to revert the "
        "batch and waste the relayer's gas)",
        "the copy counts as the voter's ballot; the batch still lands, the copy skipped: 5 counted",
        "test_a_ballot_copied_into_an_earlier_transaction_does_not_take_the_batch_down",
    ),
    (
        "ballots",
        "Batch trick: a ballot with another district's root mixed into a batch",
        "RootMismatch(1, given, expected): the whole batch reverts",
        "test_a_batch_with_a_ballot_of_another_district_root_is_refused",
    ),
    (
        "ballots",
        "Oversize and empty batches (MAX_BALLOTS_PER_BATCH + 1 ballots; none)",
        "BatchTooLarge(count, maximum); EmptyBatch()",
        "test_an_empty_or_oversized_batch_is_refused",
    ),
):
    elsewhere(ATTACKS, area, name, (CONTRACT,), refusal, f"{BATCHES}::{test}")

elsewhere(
    FAULTS,
    "registration",
    "A registrar's batch interrupted half-way: the submission is killed after its transaction "
    "left (mined but not confirmed, or dropped by the node)",
    (REGISTRAR,),
    "the next run follows the recorded transaction (same bytes if the node forgot them): "
    "every voter registered exactly once; a third run has nothing to do",
    "tests/network/test_registrar_resume.py::"
    "test_a_killed_submission_resumes_without_registering_anyone_twice",
)
elsewhere(
    FAULTS,
    "chain",
    "Reorganisation of the last block under an organizer's or registrar's transaction",
    (REGISTRAR,),
    "a receipt counts only once deep enough; a reorganised-away transaction is sent again",
    "tests/network/test_sender.py::"
    "test_a_receipt_counts_only_once_deep_enough_and_a_reorganised_one_is_sent_again",
)

RELOAD = "tests/browser/test_reload_mid_vote.py"
elsewhere(
    FAULTS,
    "page",
    "The voter's page reloaded after the relayer accepted the ballot, before its block",
    (PAGE, RELAYER),
    "counted once; after the reload the page reads it from the chain and the next vote is "
    "revision 2",
    f"{RELOAD}::test_reload_after_the_relayer_took_the_ballot",
)
elsewhere(
    FAULTS,
    "page",
    "The voter's page reloaded while proving, before the ballot left it",
    (PAGE,),
    "nothing sent; the vote after the reload is the first ballot, counted once",
    f"{RELOAD}::test_reload_while_proving_sends_nothing_and_a_new_vote_counts_once",
)

RECORDED = "tests/contracts/test_recorded.py"
for name, refusal, test in (
    (
        "Recorded mode: an account the organizer did not authorise posts ballot records",
        "NotAuthorizedRelayer(caller)",
        "test_an_account_the_organizer_did_not_authorise_cannot_record",
    ),
    (
        "Recorded mode: a relayer suspended after a successful challenge keeps posting, or is "
        "authorised again",
        "SuspendedRelayer(relayer): suspension is final",
        "test_a_suspended_relayer_cannot_record_and_cannot_be_reauthorised",
    ),
    (
        "Recorded mode: an invalid proof recorded by a relayer",
        "anyone's challengeBallot verifies it on chain: RecordedBallotInvalid, the relayer "
        "suspended, the record marked (a second challenge: RecordAlreadyMarked)",
        "test_a_challenge_of_an_invalid_record_marks_it_and_suspends_its_relayer",
    ),
    (
        "Recorded mode, challenge abuse: a valid record challenged to get a relayer suspended",
        "RecordedBallotValid(batch, index, nullifier): nothing changes",
        "test_a_challenge_of_a_valid_record_is_refused_and_changes_nothing",
    ),
    (
        "Recorded mode, challenge abuse: a challenge sent with too little gas, so that the "
        "verifier fails and a valid record looks invalid",
        "ChallengeGasTooLow: the challenge needs 400k gas left before it verifies",
        "test_a_challenge_short_of_gas_cannot_pass_a_valid_record_off_as_invalid",
    ),
    (
        "Recorded mode, challenge abuse: a batch presented altered, under another relayer's "
        "name, or with an index past its end",
        "UnknownRecordBatch(batch) / RecordIndexOutOfRange(index, count)",
        "test_a_challenge_must_present_the_batch_exactly_as_posted",
    ),
    (
        "Recorded mode: duplicate records (the same ballot twice in a batch, the batch twice)",
        "recorded as they come (the contract keeps no per-voter state); counted once by the "
        "recount, which takes revisions in chain order",
        "test_duplicate_records_are_recorded_as_they_come",
    ),
    (
        "Recorded mode: records with an unknown district or option, a district below its "
        "minimum, a nullifier out of the field, revision 0",
        "UnknownDistrict / DistrictBelowMinimum / UnknownChoice / InvalidRecord(index, "
        "nullifier, revision); nothing recorded",
        "test_records_are_checked_for_district_option_nullifier_and_revision",
    ),
    (
        "Recorded mode: malformed, empty or oversized record batches",
        "MalformedRecords(length, recordBytes) / TooManyRecords(count, maximum)",
        "test_malformed_empty_or_oversized_batches_are_refused",
    ),
    (
        "Mode confusion: each ballot mode's functions called on an election of the other mode",
        "WrongBallotMode(mode)",
        "test_each_mode_refuses_the_other_modes_functions",
    ),
):
    elsewhere(ATTACKS, "recorded ballots", name, (CONTRACT,), refusal, f"{RECORDED}::{test}")
