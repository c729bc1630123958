"""The relayer's durable queue: every accepted ballot is on disk before the voter hears "202".

SQLite in WAL mode with `synchronous=FULL`: a committed row survives a `kill -9` of the relayer
and a power cut. Ballots arriving together are stored in one transaction (a group commit): each
is answered only after the commit that holds it, so nothing acknowledged can be lost. The store
holds ballots (which are public on chain anyway) and the signed transactions that carry them; it
never holds anything about the sender: no address, no header.

A ballot's life: `queued` (accepted, on disk) → `sent` (in a signed transaction that is stored,
then broadcast) → `included` (mined and accepted) or `failed` (refused, with the reason). A
transaction may carry one ballot or a batch. Its signed bytes are stored, with the ballots moved
to `sent`, in one database transaction before they are broadcast: after a crash the very same
bytes (same nonce, same hash) are broadcast again, so a ballot is never in two live transactions.
A transaction that reverts, or whose nonce another transaction took, sends its ballots back to
`queued` with one more attempt counted, and each attempt halves the batch they may travel in.
"""

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from veche.errors import VecheError


class StoreError(VecheError):
    """The relayer's database cannot be opened or written."""


class Status(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    INCLUDED = "included"
    FAILED = "failed"


class TxStatus(StrEnum):
    PENDING = "pending"
    """Signed, stored and broadcast; no receipt yet."""
    MINED = "mined"
    REVERTED = "reverted"
    DROPPED = "dropped"
    """Never mined: the node refused it, or another transaction took its nonce."""


@dataclass(frozen=True)
class Submission:
    """One accepted ballot and what the relayer has done with it."""

    id: int
    election: str
    nullifier: int
    district: int
    choice: int | None
    """None for an encrypted ballot: the relayer never learns (nor stores) its choice."""
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    status: Status
    attempts: int = 0
    tx_id: int | None = None
    tx_hash: str | None = None
    block_number: int | None = None
    reason: str | None = None
    ciphertext: bytes = b""
    """An encrypted ballot's 1088 ciphertext bytes (empty when plain)."""

    @property
    def plain_choice(self) -> int:
        """The choice of a plain election's ballot (an encrypted ballot has none)."""
        if self.choice is None:
            raise StoreError("an encrypted ballot has no plain choice")
        return self.choice

    def same_ballot(self, other: "Submission") -> bool:
        return (self.district, self.choice, self.merkle_root, self.proof, self.ciphertext) == (
            other.district,
            other.choice,
            other.merkle_root,
            other.proof,
            other.ciphertext,
        )


@dataclass(frozen=True)
class Transaction:
    """A signed transaction carrying one ballot or a batch of them."""

    id: int
    election: str
    sender: str
    nonce: int
    tx_hash: str
    raw_tx: bytes | None
    status: TxStatus
    ballot_ids: tuple[int, ...]
    earlier_hashes: tuple[str, ...] = ()
    """Hashes of the versions this one replaced (same nonce, lower fees): any may be mined."""
    updated: float = 0.0
    """Unix time of the last signing (or status change)."""
    block_number: int | None = None
    """The block that holds it, once mined."""


SCHEMA_VERSION = 4

_TRANSACTIONS = """
CREATE TABLE IF NOT EXISTS transactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    election TEXT NOT NULL,
    sender TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    tx_hash TEXT NOT NULL,
    raw_tx BLOB,
    status TEXT NOT NULL,
    block_number INTEGER,
    updated REAL NOT NULL,
    earlier_hashes TEXT NOT NULL DEFAULT ''
);
"""

_SCHEMA = (
    _TRANSACTIONS
    + """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    election TEXT NOT NULL,
    nullifier TEXT NOT NULL,
    district INTEGER NOT NULL,
    choice INTEGER,
    revision INTEGER NOT NULL,
    merkle_root TEXT NOT NULL,
    proof TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    tx_id INTEGER REFERENCES transactions (id),
    block_number INTEGER,
    reason TEXT,
    updated REAL NOT NULL,
    ciphertext BLOB,
    UNIQUE (election, nullifier, revision)
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, id);
CREATE INDEX IF NOT EXISTS submissions_tx ON submissions (tx_id);
CREATE INDEX IF NOT EXISTS transactions_status ON transactions (status, sender, nonce);
CREATE TABLE IF NOT EXISTS nonces (sender TEXT PRIMARY KEY, next_nonce INTEGER NOT NULL);
"""
)

_MIGRATE_FROM_1 = (
    _TRANSACTIONS
    + """
INSERT INTO transactions (id, election, sender, nonce, tx_hash, raw_tx, status, block_number,
                          updated)
    SELECT id, election, sender, nonce, tx_hash, raw_tx,
           CASE status WHEN 'sent' THEN 'pending' WHEN 'included' THEN 'mined'
                       ELSE 'reverted' END,
           block_number, updated
    FROM submissions WHERE tx_hash IS NOT NULL;
ALTER TABLE submissions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submissions ADD COLUMN tx_id INTEGER REFERENCES transactions (id);
UPDATE submissions SET tx_id = id WHERE tx_hash IS NOT NULL;
ALTER TABLE submissions DROP COLUMN sender;
ALTER TABLE submissions DROP COLUMN nonce;
ALTER TABLE submissions DROP COLUMN tx_hash;
ALTER TABLE submissions DROP COLUMN raw_tx;
"""
)
"""Version 1 kept one transaction per ballot in the ballot's own row; its transactions are
carried over with the same ids, so a relayer upgraded with ballots in flight resumes them."""

_MIGRATE_FROM_2 = "ALTER TABLE transactions ADD COLUMN earlier_hashes TEXT NOT NULL DEFAULT '';"
"""Version 3 keeps the hashes a fee replacement superseded (either version may be mined)."""

_MIGRATE_FROM_3 = """
ALTER TABLE submissions RENAME TO submissions_v3;
DROP INDEX IF EXISTS submissions_status;
DROP INDEX IF EXISTS submissions_tx;
"""
"""Version 4 stores an encrypted ballot's ciphertext and no choice (`choice` may be NULL): the
table is rebuilt (SQLite cannot drop a NOT NULL), its rows copied with their ids."""

_COPY_FROM_3 = """
INSERT INTO submissions (id, election, nullifier, district, choice, revision, merkle_root, proof,
                         status, attempts, tx_id, block_number, reason, updated)
    SELECT id, election, nullifier, district, choice, revision, merkle_root, proof, status,
           attempts, tx_id, block_number, reason, updated FROM submissions_v3;
DROP TABLE submissions_v3;
"""

_SELECT = (
    "SELECT s.*, t.tx_hash AS tx_hash FROM submissions s LEFT JOIN transactions t ON t.id = s.tx_id"
)


class Store:
    """A thread-safe handle on the relayer's SQLite file."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the relayer database {path}: {exc}") from exc
        self._lock = threading.Lock()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(submissions)")}
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the relayer database has schema version {version}, newer than this relayer's "
                f"{SCHEMA_VERSION}: run the newer relayer"
            )
        self._db.execute("BEGIN IMMEDIATE")
        try:
            script = _SCHEMA
            if version < 2 and "raw_tx" in columns:
                script = _MIGRATE_FROM_1 + _MIGRATE_FROM_3 + _SCHEMA + _COPY_FROM_3
            elif version == 2:
                script = _MIGRATE_FROM_2 + _MIGRATE_FROM_3 + _SCHEMA + _COPY_FROM_3
            elif version == 3:
                script = _MIGRATE_FROM_3 + _SCHEMA + _COPY_FROM_3
            # One statement at a time: `executescript` would commit half-way.
            for statement in script.split(";"):
                if statement.strip():
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    # --- accepting ballots -------------------------------------------------------------------

    def add_many(self, ballots: Sequence[Submission]) -> list[Submission]:
        """Stores `ballots` as queued in one transaction (one disk sync for all of them) and
        returns the stored rows. The caller has ruled out duplicates of stored ballots."""
        now = time.time()
        with self._transaction() as db:
            ids = [
                db.execute(
                    "INSERT INTO submissions (election, nullifier, district, choice, revision,"
                    " merkle_root, proof, status, updated, ciphertext)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        ballot.election,
                        str(ballot.nullifier),
                        ballot.district,
                        ballot.choice,
                        ballot.revision,
                        str(ballot.merkle_root),
                        json.dumps([str(p) for p in ballot.proof]),
                        Status.QUEUED,
                        now,
                        ballot.ciphertext or None,
                    ),
                ).lastrowid
                for ballot in ballots
            ]
        return [
            Submission(**{**ballot.__dict__, "id": id_, "status": Status.QUEUED})
            for ballot, id_ in zip(ballots, ids, strict=True)
        ]

    def add(self, ballot: Submission) -> tuple[Submission, bool]:
        """Stores one ballot as queued; returns (the stored row, whether it is new). The same
        nullifier and revision again returns the row already stored."""
        known = self.find(ballot.election, ballot.nullifier, ballot.revision)
        if known is not None:
            return known, False
        return self.add_many([ballot])[0], True

    # --- reading ballots ---------------------------------------------------------------------

    def get(self, id_: int) -> Submission | None:
        with self._lock:
            row = self._db.execute(f"{_SELECT} WHERE s.id=?", (id_,)).fetchone()
        return None if row is None else _submission(row)

    def find(self, election: str, nullifier: int, revision: int) -> Submission | None:
        with self._lock:
            row = self._db.execute(
                f"{_SELECT} WHERE s.election=? AND s.nullifier=? AND s.revision=?",
                (election, str(nullifier), revision),
            ).fetchone()
        return None if row is None else _submission(row)

    def latest(self, election: str, nullifier: int) -> Submission | None:
        with self._lock:
            row = self._db.execute(
                f"{_SELECT} WHERE s.election=? AND s.nullifier=? ORDER BY s.revision DESC LIMIT 1",
                (election, str(nullifier)),
            ).fetchone()
        return None if row is None else _submission(row)

    def highest_live_revision(self, election: str, nullifier: int) -> int:
        """The highest revision this relayer holds for the voter that is queued, sent or
        included (a ballot included here is on chain, or overtaken by a higher one), or 0."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(revision) FROM submissions WHERE election=? AND nullifier=?"
                " AND status IN ('queued', 'sent', 'included')",
                (election, str(nullifier)),
            ).fetchone()
        return int(row[0] or 0)

    def unsettled_below(self, election: str, nullifier: int, revision: int) -> bool:
        """Whether the voter has a ballot below `revision` still queued or sent."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM submissions WHERE election=? AND nullifier=? AND revision<?"
                " AND status IN ('queued', 'sent') LIMIT 1",
                (election, str(nullifier), revision),
            ).fetchone()
        return row is not None

    def queued_heads(self, limit: int) -> list[tuple[int, str, int, int, int, float]]:
        """The oldest queued ballots as `(id, election, nullifier, revision, attempts, since)`,
        `since` being the Unix time they were queued (or queued again)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, election, nullifier, revision, attempts, updated FROM submissions"
                " WHERE status=? ORDER BY id LIMIT ?",
                (Status.QUEUED, limit),
            ).fetchall()
        return [(r[0], r[1], int(r[2]), r[3], r[4], r[5]) for r in rows]

    def get_many(self, ids: Sequence[int]) -> list[Submission]:
        """The ballots `ids`, in that order."""
        with self._lock:
            rows = self._db.execute(
                f"{_SELECT} WHERE s.id IN ({','.join('?' * len(ids))})", tuple(ids)
            ).fetchall()
        found = {row["id"]: _submission(row) for row in rows}
        return [found[id_] for id_ in ids]

    def with_status(self, status: Status, limit: int = 1000) -> list[Submission]:
        with self._lock:
            rows = self._db.execute(
                f"{_SELECT} WHERE s.status=? ORDER BY s.id LIMIT ?", (status, limit)
            ).fetchall()
        return [_submission(row) for row in rows]

    # --- transactions ------------------------------------------------------------------------

    def record_transaction(
        self,
        election: str,
        ballot_ids: Sequence[int],
        sender: str,
        chain_next: int,
        sign: Callable[[int], tuple[str, bytes]],
    ) -> Transaction:
        """Gives the queued ballots `ballot_ids` one transaction with `sender`'s next nonce,
        and stores its signed bytes.

        One database transaction: the nonce is never reserved without the signed bytes being
        kept, and the ballots are `sent` exactly when the bytes that carry them are stored. The
        nonce is the larger of `chain_next` (the node's pending count) and the store's own.
        `sign(nonce)` returns the transaction hash and raw bytes.
        """
        with self._transaction() as db:
            row = db.execute("SELECT next_nonce FROM nonces WHERE sender=?", (sender,)).fetchone()
            nonce = max(chain_next, int(row[0]) if row else 0)
            tx_hash, raw_tx = sign(nonce)
            now = time.time()
            db.execute(
                "INSERT INTO nonces (sender, next_nonce) VALUES (?, ?)"
                " ON CONFLICT(sender) DO UPDATE SET next_nonce=excluded.next_nonce",
                (sender, nonce + 1),
            )
            tx_id = db.execute(
                "INSERT INTO transactions (election, sender, nonce, tx_hash, raw_tx, status,"
                " updated) VALUES (?,?,?,?,?,?,?)",
                (election, sender, nonce, tx_hash, raw_tx, TxStatus.PENDING, now),
            ).lastrowid
            db.executemany(
                "UPDATE submissions SET status=?, tx_id=?, updated=? WHERE id=? AND status=?",
                [(Status.SENT, tx_id, now, id_, Status.QUEUED) for id_ in ballot_ids],
            )
        assert tx_id is not None
        return Transaction(
            tx_id,
            election,
            sender,
            nonce,
            tx_hash,
            raw_tx,
            TxStatus.PENDING,
            tuple(ballot_ids),
            updated=now,
        )

    def pending_transactions(self) -> list[Transaction]:
        """Every transaction with no receipt yet, in nonce order per sender."""
        with self._lock:
            rows = self._db.execute(
                "SELECT t.*, group_concat(s.id) AS ballots FROM transactions t"
                " LEFT JOIN submissions s ON s.tx_id = t.id WHERE t.status=?"
                " GROUP BY t.id ORDER BY t.sender, t.nonce",
                (TxStatus.PENDING,),
            ).fetchall()
        return [_transaction(row) for row in rows]

    def replace_transaction(self, tx_id: int, tx_hash: str, raw_tx: bytes) -> Transaction | None:
        """Stores a new signed version of the pending transaction `tx_id` (same nonce, higher
        fees), keeping the hash it replaces; None if the transaction is no longer pending."""
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE transactions SET earlier_hashes = CASE WHEN earlier_hashes = ''"
                " THEN tx_hash ELSE earlier_hashes || ',' || tx_hash END,"
                " tx_hash=?, raw_tx=?, updated=? WHERE id=? AND status=?",
                (tx_hash, raw_tx, time.time(), tx_id, TxStatus.PENDING),
            ).rowcount
        if not changed:
            return None
        return next((t for t in self.pending_transactions() if t.id == tx_id), None)

    def mark_mined(
        self,
        tx_id: int,
        block_number: int,
        skipped: dict[int, str] | None = None,
        *,
        tx_hash: str | None = None,
        counted_elsewhere: Iterable[int] = (),
    ) -> None:
        """The transaction is in a block and succeeded: its ballots are included, except those
        the contract skipped (`skipped`: ballot id → why), which failed, and those it skipped
        because the chain counts their very vote already (`counted_elsewhere`, see
        `mark_counted_elsewhere`). `tx_hash` is the version that was mined, if a replacement
        (or the one it replaced) is."""
        # The signed bytes are kept until the block is deep enough (`forget_signed`): a
        # reorganisation can take the block away, and then they are sent again
        # (`mark_reorganised`).
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "UPDATE transactions SET status=?, block_number=?, updated=?,"
                " tx_hash=coalesce(?, tx_hash) WHERE id=?",
                (TxStatus.MINED, block_number, now, tx_hash, tx_id),
            )
            db.execute(
                "UPDATE submissions SET status=?, block_number=?, updated=? WHERE tx_id=?",
                (Status.INCLUDED, block_number, now, tx_id),
            )
            db.executemany(
                "UPDATE submissions SET status=?, reason=? WHERE id=?",
                [(Status.FAILED, reason, id_) for id_, reason in (skipped or {}).items()],
            )
            _counted_elsewhere(db, counted_elsewhere, now)

    def mark_reorganised(self, tx_id: int) -> None:
        """The block that held the transaction was reorganised away: it is in flight again
        (its stored bytes will be broadcast again), and so are its ballots."""
        now = time.time()
        with self._transaction() as db:
            moved = db.execute(
                "UPDATE transactions SET status=?, block_number=NULL, updated=?"
                " WHERE id=? AND status=? AND raw_tx IS NOT NULL",
                (TxStatus.PENDING, now, tx_id, TxStatus.MINED),
            ).rowcount
            if not moved:  # not mined, or too deep to have kept its bytes
                return
            db.execute(
                "UPDATE submissions SET status=?, block_number=NULL, reason=NULL, updated=?"
                " WHERE tx_id=? AND status IN (?, ?)",
                (Status.SENT, now, tx_id, Status.INCLUDED, Status.FAILED),
            )

    def recently_mined(self) -> list[Transaction]:
        """The mined transactions whose signed bytes are still kept (not yet deep enough)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT t.*, group_concat(s.id) AS ballots FROM transactions t"
                " LEFT JOIN submissions s ON s.tx_id = t.id"
                " WHERE t.status=? AND t.raw_tx IS NOT NULL GROUP BY t.id",
                (TxStatus.MINED,),
            ).fetchall()
        return [_transaction(row) for row in rows]

    def forget_signed(self, below_block: int) -> None:
        """Drops the signed bytes of transactions mined below `below_block` (deep enough that
        no reorganisation is expected to reach them)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE transactions SET raw_tx=NULL WHERE status=? AND block_number<?"
                " AND raw_tx IS NOT NULL",
                (TxStatus.MINED, below_block),
            )

    def mark_unsent(
        self,
        tx_id: int,
        status: TxStatus,
        block_number: int | None,
        reason: str,
        *,
        fail: bool = False,
    ) -> None:
        """The transaction reverted (`REVERTED`) or will never be mined (`DROPPED`): its ballots
        go back to the queue with one more attempt, or with `fail` are failed with `reason`."""
        now = time.time()
        with self._transaction() as db:
            db.execute(
                "UPDATE transactions SET status=?, block_number=?, raw_tx=NULL, updated=?"
                " WHERE id=?",
                (status, block_number, now, tx_id),
            )
            if fail:
                db.execute(
                    "UPDATE submissions SET status=?, reason=?, block_number=?, updated=?"
                    " WHERE tx_id=?",
                    (Status.FAILED, reason, block_number, now, tx_id),
                )
            else:
                db.execute(
                    "UPDATE submissions SET status=?, tx_id=NULL, attempts=attempts+1,"
                    " reason=?, updated=? WHERE tx_id=?",
                    (Status.QUEUED, reason, now, tx_id),
                )

    def mark_counted_elsewhere(self, ids: Iterable[int]) -> None:
        """The chain counts these very ballots from another transaction (an identical copy,
        sent elsewhere, landed first): they are included, with no transaction of this relayer
        (a status request finds the one that carried the copy)."""
        with self._transaction() as db:
            _counted_elsewhere(db, ids, time.time())

    def mark_failed(self, ids: Iterable[int], reason: str, block_number: int | None = None) -> None:
        """The ballots can never count (the contract refuses them, with `reason`)."""
        now = time.time()
        with self._transaction() as db:
            db.executemany(
                "UPDATE submissions SET status=?, reason=?, block_number=?, updated=? WHERE id=?",
                [(Status.FAILED, reason, block_number, now, id_) for id_ in ids],
            )

    def reset_nonce(self, sender: str, next_nonce: int) -> None:
        """Sets `sender`'s next nonce after the node refused a transaction outright."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO nonces (sender, next_nonce) VALUES (?, ?)"
                " ON CONFLICT(sender) DO UPDATE SET next_nonce=excluded.next_nonce",
                (sender, next_nonce),
            )

    # --- figures -----------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute(
                "SELECT status, COUNT(*) FROM submissions GROUP BY status"
            ).fetchall()
        found = {str(row[0]): int(row[1]) for row in rows}
        return {status.value: found.get(status.value, 0) for status in Status}

    def settled_since(self, since: float) -> dict[str, int]:
        """Ballots included or failed since `since` (Unix time), for the metrics endpoint."""
        with self._lock:
            rows = self._db.execute(
                "SELECT status, COUNT(*) FROM submissions WHERE updated>=? AND status IN"
                " ('included', 'failed') GROUP BY status",
                (since,),
            ).fetchall()
        return {str(row[0]): int(row[1]) for row in rows}


def _counted_elsewhere(db: sqlite3.Connection, ids: Iterable[int], now: float) -> None:
    db.executemany(
        "UPDATE submissions SET status=?, tx_id=NULL, block_number=NULL, reason=NULL,"
        " updated=? WHERE id=?",
        [(Status.INCLUDED, now, id_) for id_ in ids],
    )


def _submission(row: sqlite3.Row) -> Submission:
    return Submission(
        id=row["id"],
        election=row["election"],
        nullifier=int(row["nullifier"]),
        district=row["district"],
        choice=row["choice"],
        revision=row["revision"],
        merkle_root=int(row["merkle_root"]),
        proof=tuple(int(p) for p in json.loads(row["proof"])),
        status=Status(row["status"]),
        attempts=row["attempts"],
        tx_id=row["tx_id"],
        tx_hash=row["tx_hash"],
        block_number=row["block_number"],
        reason=row["reason"],
        ciphertext=bytes(row["ciphertext"] or b""),
    )


def _transaction(row: sqlite3.Row) -> Transaction:
    ballots = row["ballots"]
    return Transaction(
        id=row["id"],
        election=row["election"],
        sender=row["sender"],
        nonce=row["nonce"],
        tx_hash=row["tx_hash"],
        raw_tx=row["raw_tx"],
        status=TxStatus(row["status"]),
        ballot_ids=tuple(sorted(int(b) for b in ballots.split(","))) if ballots else (),
        earlier_hashes=tuple(h for h in row["earlier_hashes"].split(",") if h),
        updated=row["updated"],
        block_number=row["block_number"],
    )
