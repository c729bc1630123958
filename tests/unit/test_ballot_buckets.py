"""Ballot buckets (`veche recount --buckets`): each nullifier's one location lands in the one
bucket its low bits name, every bucket exists (empty ones too: which files exist says nothing),
and the index says how the buckets were cut."""

import json

import pytest

from veche.recount.buckets import BucketError, bucket_file, bucket_files, bucket_of

ELECTION = "0x" + "ab" * 20


def test_every_nullifier_is_in_the_bucket_of_its_low_bits_and_only_there() -> None:
    locations = [(n * 7919 + 3, 100 + n, n % 3) for n in range(500)] + [(2**250 + 5, 900, 0)]
    files = bucket_files(
        locations, records=777, bits=4, chain_id=31337, election=ELECTION, block=1000
    )
    assert len(files) == 16 + 1
    found: dict[int, list[tuple[int, int]]] = {}
    for bucket in range(16):
        body = json.loads(files[bucket_file(bucket, 4)])
        assert (body["bucket"], body["bits"], body["block"]) == (bucket, 4, 1000)
        assert body["format"] == "veche-ballot-bucket/2"
        for nullifier, block, others in body["ballots"]:
            assert int(nullifier) % 16 == bucket
            found.setdefault(int(nullifier), []).append((block, others))
    assert found == {n: [(b, o)] for n, b, o in locations}
    index = json.loads(files["index.json"])
    assert (index["bits"], index["ballots"], index["nullifiers"]) == (4, 777, 501)
    assert index["election"] == ELECTION


def test_entries_within_a_bucket_are_ordered_by_block() -> None:
    locations = [(42, 12, 1), (58, 11, 0), (26, 12, 0)]
    files = bucket_files(locations, records=4, bits=4, chain_id=1, election=ELECTION, block=12)
    assert json.loads(files[bucket_file(bucket_of(42, 4), 4)])["ballots"] == [
        ["58", 11, 0], ["26", 12, 0], ["42", 12, 1],
    ]  # fmt: skip


def test_empty_buckets_are_written_and_names_have_fixed_width() -> None:
    files = bucket_files([], records=0, bits=10, chain_id=1, election=ELECTION, block=5)
    assert bucket_file(0, 10) == "ballots-000.json" and bucket_file(1023, 10) == "ballots-3ff.json"
    assert len(files) == 1024 + 1
    assert json.loads(files["ballots-3ff.json"])["ballots"] == []


@pytest.mark.parametrize("bits", [-1, 17])
def test_bucket_sizes_out_of_range_are_refused(bits: int) -> None:
    with pytest.raises(BucketError, match=f"got {bits}"):
        bucket_files([], records=0, bits=bits, chain_id=1, election=ELECTION, block=5)
