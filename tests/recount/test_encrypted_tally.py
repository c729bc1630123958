"""The encrypted tally against the plain one, on the same voters' choices, without a chain: the
ballot box decides which ballots count (re-votes, stale revisions, the window) exactly as in a
plain election, the recount sums those ballots' ciphertexts, and the development trustees'
partial decryptions give the counts back. The chain-level tests are in tests/integration."""

import random
import warnings

import pytest

from veche.crypto.elgamal import encode, encrypt_choice
from veche.model import Ballot, BallotBox, Calendar, DistrictRules, ElectionRules
from veche.recount.encrypted import (
    DecryptionStatus,
    Published,
    counted_ciphertexts,
    decrypt,
    district_sums,
)
from veche.trustees.decrypt import partial_decryption
from veche.trustees.development import development_election_key, development_trustee_shares

OPTIONS = (3, 5, 2)
VOTING = Calendar.unchecked(0, 10, 100, 200, 300)


@pytest.fixture(scope="module")
def dev() -> tuple:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return development_election_key(), development_trustee_shares()


def _election(key, seed: int = 7):
    """Voters casting, some re-voting (and one stale re-vote, one after the window): the plain
    box (choices in clear) and the encrypted one (choice 0, a ciphertext kept by position)."""
    rng = random.Random(seed)
    rules = ElectionRules(VOTING, 1, tuple(DistrictRules(n, 99, 50, 1) for n in OPTIONS))
    plain = BallotBox(rules, lambda _p, _s: True)
    encrypted = BallotBox(rules, lambda _p, _s: True)
    ciphertexts: list[bytes] = []
    counted_at: dict[int, int] = {}
    stream = []
    for voter in range(1, 31):
        district = voter % len(OPTIONS)
        revisions = 1 + (voter % 4 == 0) + (voter % 7 == 0)
        for revision in range(1, revisions + 1):
            stream.append((voter, district, rng.randrange(OPTIONS[district]), revision, 150))
    stream.append((4, 1, 0, 1, 160))  # stale: revision 1 again after 2
    stream.append((5, 2, 1, 2, 250))  # after voting closed
    for voter, district, choice, revision, moment in stream:
        plain.cast(Ballot(voter, district, choice, revision, 99, (), moment))
        outcome = encrypted.cast(Ballot(voter, district, 0, revision, 99, (), moment))
        ciphertext, _ = encrypt_choice(key.option_keys, choice, OPTIONS[district])
        ciphertexts.append(encode(ciphertext))
        if outcome.accepted:
            counted_at[voter] = len(ciphertexts) - 1
    sums = district_sums(OPTIONS, counted_ciphertexts(encrypted.current, counted_at, ciphertexts))
    return plain, sums


def test_encrypted_tally_with_revotes_equals_the_plain_tally(dev) -> None:
    key, shares = dev
    plain, sums = _election(key)
    assert len(plain.superseded) > 0 and len(plain.rejected) == 2
    published = [
        Published(share.index, "0xabc", partial_decryption(share, sums), f"0x{share.index}")
        for share in shares
    ]
    decryption = decrypt(key, sums, published)
    assert decryption.status is DecryptionStatus.DECRYPTED
    assert decryption.trustees == [1, 2]
    assert decryption.tallies == plain.tallies()
    assert [s.ballots for s in sums] == [t.total for t in plain.tallies()]


def test_a_wrong_partial_decryption_is_reported_and_k_valid_ones_still_decrypt(dev) -> None:
    key, shares = dev
    plain, sums = _election(key, seed=3)
    good = {share.index: partial_decryption(share, sums) for share in shares}
    forged = bytearray(good[1])
    forged[200] ^= 1  # trustee 1's second entry (district 0, option 1): its D changed
    published = [
        Published(1, "0xbad", bytes(forged), "0xf0"),
        Published(2, "0xabc", good[2], "0x02"),
        Published(3, "0xabc", good[3], "0x03"),
    ]
    decryption = decrypt(key, sums, published)
    assert decryption.status is DecryptionStatus.DECRYPTED
    assert decryption.trustees == [2, 3]
    assert decryption.tallies == plain.tallies()
    (refused,) = decryption.refused
    assert "trustee 1" in refused and "district 0" in refused and "0xf0" in refused


def test_fewer_than_k_valid_partials_cannot_decrypt(dev) -> None:
    key, shares = dev
    _, sums = _election(key, seed=5)
    only = partial_decryption(shares[0], sums)
    junk = bytes(len(only))
    decryption = decrypt(
        key, sums, [Published(1, "0x1", only, "0x01"), Published(2, "0x2", junk, "0x02")]
    )
    assert decryption.status is DecryptionStatus.UNDECRYPTABLE
    assert decryption.tallies is None
    assert "cannot be decrypted" in decryption.reason and "2 needed" in decryption.reason
    assert len(decryption.refused) == 1


def test_before_any_partial_decryption_the_tally_is_pending(dev) -> None:
    key, _ = dev
    _, sums = _election(key, seed=9)
    decryption = decrypt(key, sums, [])
    assert decryption.status is DecryptionStatus.PENDING
    assert decryption.tallies is None
    assert decryption.record()["ballots"] == [s.ballots for s in sums]


def test_sums_on_two_workers_equal_the_sums_in_one_process(dev, monkeypatch) -> None:
    import veche.recount.encrypted as encrypted

    key, _ = dev
    pool = [encode(encrypt_choice(key.option_keys, i % 2, 2)[0]) for i in range(6)]
    rows = [(i % 3, pool[i % len(pool)]) for i in range(40)]
    alone = district_sums(OPTIONS, rows)
    monkeypatch.setattr(encrypted, "PARALLEL_FROM", 1)
    assert district_sums(OPTIONS, rows, workers=2) == alone
    assert [s.ballots for s in alone] == [14, 13, 13]
