"""Ballot buckets (`veche recount --buckets`): each ballot's location lands in the one bucket its
nullifier's low bits name, every bucket exists (empty ones too: which files exist says nothing),
and the index says how the buckets were cut."""

import json

import pytest

from veche.recount.buckets import BucketError, bucket_file, bucket_files, bucket_of

ELECTION = "0x" + "ab" * 20


def test_every_ballot_is_in_the_bucket_of_its_low_bits_and_only_there() -> None:
    ballots = [(n * 7919 + 3, 100 + n) for n in range(500)] + [(2**250 + 5, 900)]
    files = bucket_files(ballots, bits=4, chain_id=31337, election=ELECTION, block=1000)
    assert len(files) == 16 + 1
    found: dict[int, list[int]] = {}
    for bucket in range(16):
        body = json.loads(files[bucket_file(bucket, 4)])
        assert (body["bucket"], body["bits"], body["block"]) == (bucket, 4, 1000)
        for nullifier, block in body["ballots"]:
            assert int(nullifier) % 16 == bucket
            found.setdefault(int(nullifier), []).append(block)
    assert found == {n: [b] for n, b in ballots}
    index = json.loads(files["index.json"])
    assert (index["bits"], index["ballots"], index["election"]) == (4, 501, ELECTION)


def test_a_voters_ballots_stay_in_chain_order_within_its_bucket() -> None:
    ballots = [(42, 10), (58, 11), (42, 12)]
    files = bucket_files(ballots, bits=4, chain_id=1, election=ELECTION, block=12)
    assert json.loads(files[bucket_file(bucket_of(42, 4), 4)])["ballots"] == [
        ["42", 10], ["58", 11], ["42", 12],
    ]  # fmt: skip


def test_empty_buckets_are_written_and_names_have_fixed_width() -> None:
    files = bucket_files([], bits=10, chain_id=1, election=ELECTION, block=5)
    assert bucket_file(0, 10) == "ballots-000.json" and bucket_file(1023, 10) == "ballots-3ff.json"
    assert len(files) == 1024 + 1
    assert json.loads(files["ballots-3ff.json"])["ballots"] == []


@pytest.mark.parametrize("bits", [-1, 17])
def test_bucket_sizes_out_of_range_are_refused(bits: int) -> None:
    with pytest.raises(BucketError, match=f"got {bits}"):
        bucket_files([], bits=bits, chain_id=1, election=ELECTION, block=5)
