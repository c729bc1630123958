"""The ceremony's record hashes chain every contribution's public name and hash, so editing a
name (which snarkjs' own verification does not notice) changes every later record hash."""

import dataclasses

from veche.ceremony.steps import Contribution, Transcript

TRANSCRIPT = Transcript(
    circuit_hash="ab" * 64,
    contributions=(
        Contribution(1, "Alice in Tbilisi", "11" * 64),
        Contribution(2, "Boris in Berlin", "22" * 64),
        Contribution(3, "Vera in Vilnius", "33" * 64),
        Contribution(4, "block 123", "44" * 64, beacon="5d" * 32, iterations=10),
    ),
)


def test_a_renamed_contribution_changes_its_record_and_every_later_one() -> None:
    published = TRANSCRIPT.record_hashes()
    assert len(set(published)) == 4
    contributions = list(TRANSCRIPT.contributions)
    contributions[1] = dataclasses.replace(contributions[1], name="Boris in Moscow")
    renamed = dataclasses.replace(TRANSCRIPT, contributions=tuple(contributions)).record_hashes()
    assert renamed[0] == published[0]
    assert all(a != b for a, b in zip(renamed[1:], published[1:], strict=True))


def test_records_depend_on_the_circuit_and_on_order() -> None:
    other_circuit = dataclasses.replace(TRANSCRIPT, circuit_hash="cd" * 64)
    assert other_circuit.record_hashes()[0] != TRANSCRIPT.record_hashes()[0]
    swapped = dataclasses.replace(
        TRANSCRIPT, contributions=(TRANSCRIPT.contributions[1], TRANSCRIPT.contributions[0])
    )
    assert swapped.record_hashes()[1] != TRANSCRIPT.record_hashes()[1]
    assert TRANSCRIPT.record_hashes() == TRANSCRIPT.record_hashes()
