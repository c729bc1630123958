"""The relayer's durable queue: every accepted ballot is on disk before the voter hears "202".

SQLite in WAL mode with `synchronous=FULL`: a committed row survives a `kill -9` of the relayer
and a power cut. The store holds ballots (which are public on chain anyway) and the signed
transactions that carry them; it never holds anything about the sender: no address, no header.

A ballot's life: `queued` (accepted, on disk) → `sent` (its signed transaction is stored, then
broadcast) → `included` (mined and accepted) or `failed` (refused on chain, with the reason).
The signed transaction is stored before it is broadcast, so after a crash the very same bytes
(same nonce, same hash) are re-broadcast: a ballot is never sent twice with two nonces.
"""

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
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


@dataclass(frozen=True)
class Submission:
    """One accepted ballot and what the relayer has done with it."""

    id: int
    election: str
    nullifier: int
    district: int
    choice: int
    revision: int
    merkle_root: int
    proof: tuple[int, ...]
    status: Status
    sender: str | None = None
    nonce: int | None = None
    tx_hash: str | None = None
    raw_tx: bytes | None = None
    block_number: int | None = None
    reason: str | None = None

    def same_ballot(self, other: "Submission") -> bool:
        return (self.district, self.choice, self.merkle_root, self.proof) == (
            other.district,
            other.choice,
            other.merkle_root,
            other.proof,
        )


_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    election TEXT NOT NULL,
    nullifier TEXT NOT NULL,
    district INTEGER NOT NULL,
    choice INTEGER NOT NULL,
    revision INTEGER NOT NULL,
    merkle_root TEXT NOT NULL,
    proof TEXT NOT NULL,
    status TEXT NOT NULL,
    sender TEXT,
    nonce INTEGER,
    tx_hash TEXT,
    raw_tx BLOB,
    block_number INTEGER,
    reason TEXT,
    updated REAL NOT NULL,
    UNIQUE (election, nullifier, revision)
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions (status, id);
CREATE TABLE IF NOT EXISTS nonces (sender TEXT PRIMARY KEY, next_nonce INTEGER NOT NULL);
"""


class Store:
    """A thread-safe handle on the relayer's SQLite file."""

    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open the relayer database {path}: {exc}") from exc
        self._lock = threading.Lock()

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

    def add(self, ballot: Submission) -> tuple[Submission, bool]:
        """Stores `ballot` as queued; returns (the stored row, whether it is new).

        Resubmitting the same ballot returns the stored row unchanged (idempotent); the caller
        decides what to say when a *different* ballot has the same nullifier and revision.
        """
        with self._transaction() as db:
            row = db.execute(
                "SELECT * FROM submissions WHERE election=? AND nullifier=? AND revision=?",
                (ballot.election, str(ballot.nullifier), ballot.revision),
            ).fetchone()
            if row is not None:
                return _submission(row), False
            cursor = db.execute(
                "INSERT INTO submissions (election, nullifier, district, choice, revision,"
                " merkle_root, proof, status, updated) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    ballot.election,
                    str(ballot.nullifier),
                    ballot.district,
                    ballot.choice,
                    ballot.revision,
                    str(ballot.merkle_root),
                    json.dumps([str(p) for p in ballot.proof]),
                    Status.QUEUED,
                    time.time(),
                ),
            )
            stored = db.execute(
                "SELECT * FROM submissions WHERE id=?", (cursor.lastrowid,)
            ).fetchone()
        return _submission(stored), True

    def get(self, id_: int) -> Submission | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM submissions WHERE id=?", (id_,)).fetchone()
        return None if row is None else _submission(row)

    def find(self, election: str, nullifier: int, revision: int) -> Submission | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM submissions WHERE election=? AND nullifier=? AND revision=?",
                (election, str(nullifier), revision),
            ).fetchone()
        return None if row is None else _submission(row)

    def latest(self, election: str, nullifier: int) -> Submission | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM submissions WHERE election=? AND nullifier=?"
                " ORDER BY revision DESC LIMIT 1",
                (election, str(nullifier)),
            ).fetchone()
        return None if row is None else _submission(row)

    def highest_pending_revision(self, election: str, nullifier: int) -> int:
        """The highest revision queued or sent (not yet settled) for this voter, or 0."""
        with self._lock:
            row = self._db.execute(
                "SELECT MAX(revision) FROM submissions WHERE election=? AND nullifier=?"
                " AND status IN ('queued', 'sent')",
                (election, str(nullifier)),
            ).fetchone()
        return int(row[0] or 0)

    def with_status(self, status: Status, limit: int = 1000) -> list[Submission]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM submissions WHERE status=? ORDER BY id LIMIT ?", (status, limit)
            ).fetchall()
        return [_submission(row) for row in rows]

    def assign_transaction(
        self, id_: int, sender: str, chain_next: int, sign: Callable[[int], tuple[str, bytes]]
    ) -> int:
        """Gives queued ballot `id_` the next nonce of `sender` and stores its signed transaction.

        One database transaction: the nonce is never reserved without the signed bytes being
        kept, so a crash cannot leave a gap in the account's nonces. `sign(nonce)` returns the
        transaction hash and raw bytes. Returns the nonce used.
        """
        with self._transaction() as db:
            row = db.execute("SELECT next_nonce FROM nonces WHERE sender=?", (sender,)).fetchone()
            nonce = max(chain_next, int(row[0]) if row else 0)
            tx_hash, raw_tx = sign(nonce)
            db.execute(
                "INSERT INTO nonces (sender, next_nonce) VALUES (?, ?)"
                " ON CONFLICT(sender) DO UPDATE SET next_nonce=excluded.next_nonce",
                (sender, nonce + 1),
            )
            db.execute(
                "UPDATE submissions SET status=?, sender=?, nonce=?, tx_hash=?, raw_tx=?,"
                " updated=? WHERE id=?",
                (Status.SENT, sender, nonce, tx_hash, raw_tx, time.time(), id_),
            )
        return nonce

    def reset_nonce(self, sender: str, next_nonce: int) -> None:
        """Sets `sender`'s next nonce after the node refused a transaction outright."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO nonces (sender, next_nonce) VALUES (?, ?)"
                " ON CONFLICT(sender) DO UPDATE SET next_nonce=excluded.next_nonce",
                (sender, next_nonce),
            )

    def mark_included(self, id_: int, block_number: int) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE submissions SET status=?, block_number=?, raw_tx=NULL, updated=?"
                " WHERE id=?",
                (Status.INCLUDED, block_number, time.time(), id_),
            )

    def mark_failed(self, id_: int, reason: str, block_number: int | None = None) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE submissions SET status=?, reason=?, block_number=?, raw_tx=NULL,"
                " updated=? WHERE id=?",
                (Status.FAILED, reason, block_number, time.time(), id_),
            )

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
        sender=row["sender"],
        nonce=row["nonce"],
        tx_hash=row["tx_hash"],
        raw_tx=row["raw_tx"],
        block_number=row["block_number"],
        reason=row["reason"],
    )
