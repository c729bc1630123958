"""The relayer's durable queue: batches of ballots in one transaction, and an upgrade in flight."""

import sqlite3
import time
from pathlib import Path

from veche.relayer.store import Status, Store, Submission, TxStatus


def _ballot(nullifier: int, revision: int = 1) -> Submission:
    return Submission(
        id=0,
        election="0x" + "ab" * 20,
        nullifier=nullifier,
        district=0,
        choice=1,
        revision=revision,
        merkle_root=7,
        proof=tuple(range(8)),
        status=Status.QUEUED,
    )


def _signer(tag: str):
    return lambda nonce: (f"0x{tag}{nonce:062x}", f"{tag}-{nonce}".encode())


def test_a_batch_is_sent_mined_and_included_together(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(n) for n in (1, 2, 3)])
    ids = [row.id for row in rows]
    sent = store.record_transaction(rows[0].election, ids[:2], "0xA", 5, _signer("aa"))
    assert sent.nonce == 5
    assert [t.ballot_ids for t in store.pending_transactions()] == [tuple(ids[:2])]
    assert [store.get(i).status for i in ids] == [Status.SENT, Status.SENT, Status.QUEUED]
    # The next transaction of the same sender never reuses a nonce, even if the node says 0.
    assert store.record_transaction(rows[0].election, ids[2:], "0xA", 0, _signer("bb")).nonce == 6
    store.mark_mined(sent.id, 42)
    included = store.get(ids[0])
    assert (included.status, included.block_number, included.tx_hash) == (
        Status.INCLUDED,
        42,
        sent.tx_hash,
    )


def test_the_metrics_count_ballots_settled_since_a_time(tmp_path: Path) -> None:
    """`/metrics`' ballots per minute: what was included or failed after the given instant."""
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(1), _ballot(2), _ballot(3)])
    sent = store.record_transaction(
        rows[0].election, [r.id for r in rows[:2]], "0xA", 0, _signer("a")
    )
    store.mark_mined(sent.id, 7)
    assert store.settled_since(0) == {"included": 2}
    assert store.settled_since(time.time() + 60) == {}


def test_a_reverted_batch_requeues_its_ballots_with_one_more_attempt(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(1), _ballot(2)])
    sent = store.record_transaction(rows[0].election, [r.id for r in rows], "0xA", 0, _signer("a"))
    store.mark_unsent(sent.id, TxStatus.REVERTED, 9, "StaleRevision")
    again = [store.get(r.id) for r in rows]
    assert {(b.status, b.attempts, b.tx_id) for b in again} == {(Status.QUEUED, 1, None)}
    assert store.pending_transactions() == []
    lone = store.record_transaction(rows[0].election, [rows[0].id], "0xA", 0, _signer("b"))
    store.mark_unsent(lone.id, TxStatus.REVERTED, 10, "InvalidProof(nullifier=1)", fail=True)
    failed = store.get(rows[0].id)
    assert (failed.status, failed.reason) == (Status.FAILED, "InvalidProof(nullifier=1)")


def test_an_earlier_revision_in_flight_holds_back_a_later_one(tmp_path: Path) -> None:
    store = Store(tmp_path / "r.sqlite3")
    first, _ = store.add_many([_ballot(1, 1), _ballot(1, 2)])
    assert store.unsettled_below(first.election, 1, 2)
    store.record_transaction(first.election, [first.id], "0xA", 0, _signer("a"))
    assert store.unsettled_below(first.election, 1, 2)
    store.mark_mined(store.pending_transactions()[0].id, 3)
    assert not store.unsettled_below(first.election, 1, 2)
    assert store.highest_live_revision(first.election, 1) == 2


def test_a_version_1_database_with_ballots_in_flight_is_carried_over(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE submissions (id INTEGER PRIMARY KEY AUTOINCREMENT, election TEXT NOT NULL,
            nullifier TEXT NOT NULL, district INTEGER NOT NULL, choice INTEGER NOT NULL,
            revision INTEGER NOT NULL, merkle_root TEXT NOT NULL, proof TEXT NOT NULL,
            status TEXT NOT NULL, sender TEXT, nonce INTEGER, tx_hash TEXT, raw_tx BLOB,
            block_number INTEGER, reason TEXT, updated REAL NOT NULL,
            UNIQUE (election, nullifier, revision));
        CREATE INDEX submissions_status ON submissions (status, id);
        CREATE TABLE nonces (sender TEXT PRIMARY KEY, next_nonce INTEGER NOT NULL);
        INSERT INTO submissions VALUES (1, 'E', '11', 0, 1, 1, '7', '["1"]', 'included', '0xA',
            0, '0xhash0', NULL, 5, NULL, 0);
        INSERT INTO submissions VALUES (2, 'E', '12', 0, 1, 1, '7', '["1"]', 'sent', '0xA',
            1, '0xhash1', X'0102', NULL, NULL, 0);
        INSERT INTO submissions VALUES (3, 'E', '13', 0, 1, 1, '7', '["1"]', 'queued', NULL,
            NULL, NULL, NULL, NULL, NULL, 0);
        INSERT INTO nonces VALUES ('0xA', 2);
        """
    )
    db.commit()
    db.close()
    store = Store(path)
    (in_flight,) = store.pending_transactions()
    assert (in_flight.sender, in_flight.nonce, in_flight.raw_tx) == ("0xA", 1, b"\x01\x02")
    assert in_flight.ballot_ids == (2,)
    assert store.get(1).tx_hash == "0xhash0" and store.get(1).status == Status.INCLUDED
    assert store.get(3).status == Status.QUEUED
    assert store.record_transaction("E", [3], "0xA", 0, _signer("c")).nonce == 2
    store.close()
    assert Store(path).counts() == {"queued": 0, "sent": 2, "included": 1, "failed": 0}


def test_a_fee_replacement_keeps_the_hash_it_replaces_and_either_may_be_mined(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(1), _ballot(2)])
    sent = store.record_transaction(rows[0].election, [r.id for r in rows], "0xA", 4, _signer("a"))
    replaced = store.replace_transaction(sent.id, "0x" + "bb" * 32, b"higher fees")
    assert replaced is not None
    assert (replaced.nonce, replaced.tx_hash, replaced.raw_tx) == (
        4,
        "0x" + "bb" * 32,
        b"higher fees",
    )
    assert replaced.earlier_hashes == (sent.tx_hash,)
    # The version signed first is the one mined: the ballots point to its hash.
    store.mark_mined(sent.id, 8, tx_hash=sent.tx_hash)
    assert {store.get(r.id).tx_hash for r in rows} == {sent.tx_hash}
    assert store.replace_transaction(sent.id, "0x" + "cc" * 32, b"too late") is None


def test_a_ballot_whose_identical_copy_counts_is_included_without_this_relayers_transaction(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(1), _ballot(2), _ballot(3)])
    sent = store.record_transaction(rows[0].election, [r.id for r in rows], "0xA", 0, _signer("a"))
    store.mark_mined(
        sent.id,
        9,
        {rows[2].id: "BallotSkipped(revision=1, storedRevision=2)"},
        counted_elsewhere=[rows[1].id],
    )
    mined, copied, skipped = (store.get(r.id) for r in rows)
    assert (mined.status, mined.tx_hash) == (Status.INCLUDED, sent.tx_hash)
    assert (copied.status, copied.tx_hash, copied.reason) == (Status.INCLUDED, None, None)
    assert (skipped.status, skipped.reason) == (
        Status.FAILED,
        "BallotSkipped(revision=1, storedRevision=2)",
    )


def test_a_version_2_database_gains_the_replaced_hashes(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite3"
    store = Store(path)
    rows = store.add_many([_ballot(1)])
    sent = store.record_transaction(rows[0].election, [rows[0].id], "0xA", 3, _signer("a"))
    store.close()
    db = sqlite3.connect(path)  # back to version 2: the table as it was, without the column
    db.executescript("ALTER TABLE transactions DROP COLUMN earlier_hashes; PRAGMA user_version=2;")
    db.close()
    store = Store(path)
    (in_flight,) = store.pending_transactions()
    assert (in_flight.id, in_flight.nonce, in_flight.earlier_hashes) == (sent.id, 3, ())
    assert store.replace_transaction(sent.id, "0x" + "dd" * 32, b"x") is not None


def test_a_reorganised_transaction_is_in_flight_again_with_its_bytes(tmp_path: Path) -> None:
    """A mined transaction keeps its signed bytes until deep enough; if its block is
    reorganised away it is pending again (same bytes) and its ballots are sent, not included."""
    store = Store(tmp_path / "r.sqlite3")
    rows = store.add_many([_ballot(1), _ballot(2)])
    ids = [row.id for row in rows]
    sent = store.record_transaction(rows[0].election, ids, "0xA", 3, _signer("cc"))
    store.mark_mined(sent.id, 10, {ids[1]: "BallotSkipped(revision=1, storedRevision=1)"})
    (kept,) = store.recently_mined()
    assert (kept.raw_tx, kept.block_number) == (sent.raw_tx, 10)

    store.mark_reorganised(sent.id)
    (again,) = store.pending_transactions()
    assert (again.tx_hash, again.nonce, again.raw_tx) == (sent.tx_hash, 3, sent.raw_tx)
    assert [(store.get(i).status, store.get(i).reason) for i in ids] == [(Status.SENT, None)] * 2

    store.mark_mined(sent.id, 12)
    store.forget_signed(below_block=13)
    assert store.recently_mined() == []
    store.mark_reorganised(sent.id)  # too deep: nothing left to send, nothing changes
    assert [store.get(i).status for i in ids] == [Status.INCLUDED] * 2
