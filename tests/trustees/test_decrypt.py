"""Decryption of the district sums by the trustees (`veche.trustees.decrypt`), with the
committed development key (3 trustees, threshold 2): sums of known choices decrypt to the plain
counts whichever 2 trustees take part; a trustee's wrong partial decryption is caught by its
proof and named; fewer than 2 trustees cannot decrypt (and 1 share gives a wrong value);
malformed data and sums are refused with their reason."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.cli.main import main
from veche.crypto import elgamal
from veche.crypto.babyjub import IDENTITY
from veche.crypto.elgamal import CiphertextSum, DiscreteLogNotFound
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.dedup.group import ORDER, add, mul
from veche.trustees.decrypt import (
    ENTRY_BYTES,
    DistrictSum,
    combine,
    combine_publications,
    district_sum,
    load_sums,
    partial_decryption,
    sums_from_json,
    sums_to_json,
    verify_partial,
    write_sums,
)
from veche.trustees.development import (
    DevElectionKeyWarning,
    development_election_key,
    development_trustee_shares,
)
from veche.trustees.errors import (
    CountNotFound,
    MalformedDecryption,
    SumsFileError,
    TooFewTrustees,
    WrongDecryption,
)
from veche.trustees.key import ElectionKey, TrusteeShare

pytestmark = pytest.mark.filterwarnings("ignore::veche.trustees.development.DevElectionKeyWarning")

ELECTION = {0: (3, [0, 2, 2, 1, 2]), 1: (16, [15, 0, 15]), 2: (2, []), 3: (1, [0])}
"""district: (options, the choices of its counted ballots)."""


def plain_counts(election: dict[int, tuple[int, list[int]]]) -> dict[int, list[int]]:
    return {
        district: [choices.count(i) for i in range(options)]
        for district, (options, choices) in election.items()
    }


def encrypt_election(
    key: ElectionKey, election: dict[int, tuple[int, list[int]]]
) -> list[DistrictSum]:
    sums = []
    for district, (options, choices) in sorted(election.items()):
        total = CiphertextSum()
        for choice in choices:
            ciphertext, _ = elgamal.encrypt_choice(key.option_keys, choice, options)
            total.add_encoded(elgamal.encode(ciphertext))
        sums.append(district_sum(district, options, total))
    return sums


@pytest.fixture(scope="module")
def key() -> ElectionKey:
    with pytest.warns(DevElectionKeyWarning):
        return development_election_key()


@pytest.fixture(scope="module")
def shares() -> dict[int, TrusteeShare]:
    return {share.index: share for share in development_trustee_shares()}


@pytest.fixture(scope="module")
def sums(key: ElectionKey) -> list[DistrictSum]:
    return encrypt_election(key, ELECTION)


@pytest.fixture(scope="module")
def partials(shares: dict[int, TrusteeShare], sums: list[DistrictSum]) -> dict[int, bytes]:
    return {j: partial_decryption(share, sums) for j, share in shares.items()}


def cheat(share: TrusteeShare, option: int) -> TrusteeShare:
    """The trustee decrypts `option` with a wrong secret (and a valid proof for that secret)."""
    secrets = list(share.secrets)
    secrets[option] = (secrets[option] + 1) % ORDER
    return TrusteeShare(share.index, tuple(secrets), share.election_key)  # unchecked


@pytest.mark.parametrize("pair", [(1, 2), (1, 3), (2, 3)])
def test_any_two_trustees_decrypt_the_sums_to_the_plain_counts(
    key: ElectionKey, sums: list[DistrictSum], partials: dict[int, bytes], pair: tuple[int, int]
) -> None:
    tally = combine(key, sums, {j: partials[j] for j in pair})
    assert tally.counts == plain_counts(ELECTION)
    assert (tally.trustees, tally.refused) == (list(pair), {})


def test_each_trustees_data_is_128_bytes_per_option_with_zeros_for_an_empty_district(
    sums: list[DistrictSum], partials: dict[int, bytes]
) -> None:
    assert [len(p) for p in partials.values()] == [ENTRY_BYTES * (3 + 16 + 2 + 1)] * 3
    empty = partials[1][ENTRY_BYTES * 19 : ENTRY_BYTES * 21]
    assert empty == bytes(2 * ENTRY_BYTES)


def test_a_trustees_wrong_partial_decryption_is_caught_by_its_proof_and_named(
    key: ElectionKey,
    shares: dict[int, TrusteeShare],
    sums: list[DistrictSum],
    partials: dict[int, bytes],
) -> None:
    wrong = partial_decryption(cheat(shares[2], option=15), sums)
    with pytest.raises(WrongDecryption, match=r"trustee 2's .* district 1, option 15") as caught:
        verify_partial(key, sums, 2, wrong)
    assert (caught.value.trustee, caught.value.district, caught.value.option) == (2, 1, 15)
    tally = combine(key, sums, {1: partials[1], 2: wrong, 3: partials[3]})
    assert tally.counts == plain_counts(ELECTION) and tally.trustees == [1, 3]
    assert "district 1, option 15" in tally.refused[2]
    with pytest.raises(TooFewTrustees, match=r"trustee 2: .*district 1, option 15"):
        combine(key, sums, {1: partials[1], 2: wrong})


def test_a_changed_decryption_point_fails_its_proof(
    key: ElectionKey, sums: list[DistrictSum], partials: dict[int, bytes], shares: dict
) -> None:
    data = bytearray(partials[3])
    entry = ENTRY_BYTES * 4  # district 1, option 1
    d = mul(sums[1].total.ephemeral, shares[3].secrets[1])
    moved = elgamal.encode_point(add(d, elgamal.GENERATOR))  # D + G: one more vote
    data[entry : entry + 64] = moved
    with pytest.raises(WrongDecryption, match="district 1, option 1"):
        verify_partial(key, sums, 3, bytes(data))


def test_fewer_than_k_trustees_cannot_decrypt_and_one_share_gives_a_wrong_value(
    key: ElectionKey, sums: list[DistrictSum], partials: dict[int, bytes]
) -> None:
    for j in (1, 2, 3):
        with pytest.raises(TooFewTrustees, match=r"only 1 valid partial decryptions \(trustees"):
            combine(key, sums, {j: partials[j]})
    with pytest.raises(TooFewTrustees, match="only 0"):
        combine(key, sums, {})
    # Interpolating trustee 1's share alone (degree 0: λ = 1) is not the option key's secret:
    d1 = verify_partial(key, sums, 1, partials[1])
    for n, option in [(0, 2), (1, 15)]:
        alone = add(sums[n].total.payloads[option], mul(d1[n][option], ORDER - 1))
        with pytest.raises(DiscreteLogNotFound):
            elgamal.discrete_log(alone, sums[n].ballots)


@settings(max_examples=4, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 5),
        st.integers(1, 16).flatmap(
            lambda o: st.tuples(st.just(o), st.lists(st.integers(0, o - 1), max_size=4))
        ),
        min_size=1,
        max_size=3,
    )
)
def test_sums_of_any_choices_decrypt_to_their_plain_counts(
    key: ElectionKey, shares: dict[int, TrusteeShare], election: dict
) -> None:
    sums = encrypt_election(key, election)
    partials = {j: partial_decryption(shares[j], sums) for j in (3, 1)}
    assert combine(key, sums, partials).counts == plain_counts(election)


def test_a_count_above_the_districts_ballots_is_not_found(
    key: ElectionKey, sums: list[DistrictSum], partials: dict[int, bytes]
) -> None:
    short = [DistrictSum(s.district, s.options, max(s.ballots - 2, 0), s.total) for s in sums]
    with pytest.raises(CountNotFound, match=r"district 1, option 15: .* its 1 ballots"):
        combine(key, short, {1: partials[1], 2: partials[2]})


def _entry(partial: bytes, index: int, replacement: bytes) -> bytes:
    return partial[: ENTRY_BYTES * index] + replacement + partial[ENTRY_BYTES * (index + 1) :]


def test_malformed_data_is_refused_with_its_reason(
    key: ElectionKey, sums: list[DistrictSum], partials: dict[int, bytes]
) -> None:
    good = partials[1]
    proof = good[64:128]
    small_order = elgamal.encode_point(elgamal.Point(0, SNARK_SCALAR_FIELD - 1))
    neutral = elgamal.encode_point(IDENTITY)
    cases = [
        (good[:-1], MalformedDecryption, "2815 bytes, expected 2816"),
        (good + bytes(ENTRY_BYTES), MalformedDecryption, "expected 2816"),
        (_entry(good, 19, b"\1" * ENTRY_BYTES), MalformedDecryption, "district 2 has no ballot"),
        (_entry(good, 0, neutral + proof), WrongDecryption, "district 0, option 0"),
        (_entry(good, 1, small_order + proof), WrongDecryption, "district 0, option 1"),
        (_entry(good, 2, b"\xff" * 64 + proof), WrongDecryption, "district 0, option 2"),
        (_entry(good, 3, good[384:448] + b"\xff" * 64), WrongDecryption, "district 1, option 0"),
    ]  # fmt: skip
    for data, error, reason in cases:
        with pytest.raises(error, match=reason):
            verify_partial(key, sums, 1, data)
    with pytest.raises(MalformedDecryption, match="gives this trustee no share"):
        verify_partial(key, sums, 4, good)


def test_the_sums_file_round_trips_and_refuses_bad_sums(
    tmp_path: Path, key: ElectionKey, sums: list[DistrictSum]
) -> None:
    write_sums(tmp_path / "sums.json", key.key_hash(), sums)
    assert load_sums(tmp_path / "sums.json") == (key.key_hash(), sums)
    data = sums_to_json(key.key_hash(), sums)
    assert data["districts"][2]["R"] == ["0", "1"]
    bad = json.loads(json.dumps(data))
    bad["districts"][0]["C"][3] = ["0", str(SNARK_SCALAR_FIELD - 1)]  # order 2
    with pytest.raises(SumsFileError, match="district 0's C_3"):
        sums_from_json(bad)
    bad = json.loads(json.dumps(data))
    bad["districts"][2]["ballots"] = 1
    with pytest.raises(SumsFileError, match="district 2: R is neutral"):
        sums_from_json(bad)
    bad = json.loads(json.dumps(data))
    bad["districts"][1]["options"] = 17
    with pytest.raises(SumsFileError, match="17 options"):
        sums_from_json(bad)
    bad["districts"][1]["options"] = 16
    bad["districts"][1]["ballots"] = 2**20 + 1  # more than a register holds: no BSGS table
    with pytest.raises(SumsFileError, match="at most a full register"):
        sums_from_json(bad)
    bad["districts"][1] = bad["districts"][0]
    with pytest.raises(SumsFileError, match="appears twice"):
        sums_from_json(bad)
    with pytest.raises(SumsFileError, match="cannot read district sums"):
        load_sums(tmp_path / "missing.json")
    assert sums[2].empty and sums[2].total.payloads == (IDENTITY,) * 16


def test_trustees_decrypt_and_anyone_tallies_from_the_command_line(
    tmp_path: Path, key: ElectionKey, sums: list[DistrictSum], capsys: pytest.CaptureFixture[str]
) -> None:
    from veche.trustees.development import DEVELOPMENT_KEY, DEVELOPMENT_SHARES

    write_sums(tmp_path / "sums.json", key.key_hash(), sums)
    bundle = json.loads(DEVELOPMENT_SHARES.read_text())
    for j in (2, 3):
        share_file = tmp_path / f"trustee-{j}.json"
        share_file.write_text(json.dumps(bundle["shares"][j - 1]))
        argv = ["trustee", "decrypt", "--sums", str(tmp_path / "sums.json")]
        assert main([*argv, "--share", str(share_file), "--out", str(tmp_path / f"{j}.hex")]) == 0
    assert (tmp_path / "2.hex").read_text().startswith("0x")
    argv = ["trustee", "tally", "--sums", str(tmp_path / "sums.json"), "--key"]
    argv += [str(DEVELOPMENT_KEY), "--partial", f"2={tmp_path / '2.hex'}"]
    capsys.readouterr()
    assert main(argv) == 1
    assert "only 1 valid partial decryptions" in capsys.readouterr().err
    (tmp_path / "garbage.hex").write_text("0x00ff")
    garbage = ["--partial", f"3={tmp_path / 'garbage.hex'}"]
    assert main([*argv, *garbage, "--partial", f"3={tmp_path / '3.hex'}"]) == 0
    out = capsys.readouterr()
    assert "ignored a publication: trustee 3's decryption is malformed: 2 bytes" in out.err
    result = json.loads(out.out)
    assert result == {
        "trustees": [2, 3],
        "counts": {str(d): c for d, c in plain_counts(ELECTION).items()},
    }
    other = ElectionKey.load(DEVELOPMENT_KEY).key_hash()[::-1]
    write_sums(tmp_path / "other.json", other, sums)
    decrypt = ["trustee", "decrypt", "--sums", str(tmp_path / "other.json")]
    assert main([*decrypt, "--share", str(tmp_path / "trustee-2.json")]) == 1
    assert "the sums are for election key" in capsys.readouterr().err


def test_garbage_published_in_a_trustees_name_neither_replaces_nor_blocks_its_decryption(
    key: ElectionKey,
    shares: dict[int, TrusteeShare],
    sums: list[DistrictSum],
    partials: dict[int, bytes],
) -> None:
    wrong = partial_decryption(cheat(shares[1], option=0), sums)
    published = [(1, wrong), (1, partials[1]), (2, b"\0" * 5), (2, partials[2]), (1, wrong)]
    tally = combine_publications(key, sums, published)
    assert tally.counts == plain_counts(ELECTION) and tally.trustees == [1, 2]
    assert tally.refused == {}
    assert len(tally.ignored) == 2 and "5 bytes" in tally.ignored[1]
    with pytest.raises(TooFewTrustees) as caught:
        combine_publications(key, sums, [(1, wrong), (3, partials[3]), (2, b"")])
    assert caught.value.valid == [3]
    assert "district 0, option 0" in caught.value.refused[1]
    assert "0 bytes" in caught.value.refused[2]
