"""The submission worker: turns queued ballots into transactions and follows them to a block.

One thread sends, in queue order, so each paying account's nonces go out in order; receipts are
followed separately, so many ballots are in flight at once. On start it re-broadcasts every
stored signed transaction that has no receipt yet: after a crash the same bytes go out again,
which the chain either already has (same hash) or accepts once.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence
from itertools import cycle
from typing import Any

from eth_account.signers.local import LocalAccount
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import TransactionNotFound, Web3Exception

from veche.chain.client import _revert_data_from_trace as revert_data_from_trace
from veche.chain.client import decode_revert, simulate_call
from veche.errors import ContractRevert
from veche.relayer.store import Status, Store, Submission

log = logging.getLogger("veche.relayer.worker")

REBROADCAST_SECONDS = 15.0
"""A sent transaction with no receipt after this long is broadcast again (same bytes)."""


class Worker:
    def __init__(
        self,
        w3: Web3,
        store: Store,
        accounts: Sequence[LocalAccount],
        contract_for: Callable[[str], Contract],
        ballot_gas: int,
        poll_seconds: float = 0.05,
    ) -> None:
        self._w3 = w3
        self._store = store
        self._accounts = {account.address: account for account in accounts}
        self._next_account = cycle(accounts)
        self._contract_for = contract_for
        self._gas = ballot_gas
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="veche-submitter", daemon=True)
        self._last_broadcast: dict[int, float] = {}
        self._chain_id = int(w3.eth.chain_id)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(10)

    def wake(self) -> None:
        self._wake.set()

    def _run(self) -> None:
        self._recover()
        while not self._stop.is_set():
            try:
                busy = self._send_queued() + self._follow_sent()
            except Web3Exception as exc:
                log.warning("chain unavailable, retrying: %s", type(exc).__name__)
                busy = 0
            except OSError as exc:
                log.warning("chain unavailable, retrying: %s", type(exc).__name__)
                busy = 0
            if not busy:
                self._wake.wait(self._poll)
                self._wake.clear()

    def _recover(self) -> None:
        """Re-broadcasts, in nonce order, every signed ballot that has no receipt yet."""
        pending = sorted(
            self._store.with_status(Status.SENT, limit=1_000_000),
            key=lambda s: (s.sender or "", s.nonce or 0),
        )
        for submission in pending:
            self._broadcast(submission)
        if pending:
            log.info("resumed %d ballots in flight", len(pending))

    def _send_queued(self) -> int:
        queued = self._store.with_status(Status.QUEUED, limit=100)
        if not queued:
            return 0
        fees = self._fees()
        chain_next = {
            str(address): int(self._w3.eth.get_transaction_count(address, "pending"))
            for address in self._accounts
        }
        for submission in queued:
            if self._stop.is_set():
                break
            self._send(submission, fees, chain_next)
        return len(queued)

    def _fees(self) -> dict[str, int]:
        """EIP-1559 fees for a round of sending: read once, not once per ballot."""
        base = int(self._w3.eth.get_block("latest").get("baseFeePerGas", 0))
        tip = int(self._w3.eth.max_priority_fee)
        return {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}

    def _send(
        self, submission: Submission, fees: dict[str, int], chain_next: dict[str, int]
    ) -> None:
        """Simulates, signs, stores and broadcasts one ballot. `chain_next` holds each
        account's pending nonce as read at the start of this round: the store never hands out
        a nonce below it, nor one it handed out before."""
        contract = self._contract_for(submission.election)
        call = contract.functions.castBallot(
            submission.district,
            submission.merkle_root,
            submission.nullifier,
            submission.choice,
            submission.revision,
            list(submission.proof),
        )
        account = next(self._next_account)
        params: dict[str, Any] = {
            "from": account.address,
            "chainId": self._chain_id,
            "gas": self._gas,
            "nonce": 0,
            **fees,
        }
        transaction = call.build_transaction(params)  # type: ignore[arg-type]
        try:
            simulate_call(self._w3, transaction, contract.abi)  # type: ignore[arg-type]
        except ContractRevert as refusal:
            # Refused before any gas is spent: the ballot cannot count (e.g. a newer revision
            # landed first, or the voting period ended while it was queued).
            self._store.mark_failed(submission.id, str(refusal))
            return

        def sign(nonce: int) -> tuple[str, bytes]:
            signed = account.sign_transaction(dict(transaction, nonce=nonce))  # type: ignore[arg-type]
            return HexBytes(signed.hash).to_0x_hex(), bytes(signed.raw_transaction)

        self._store.assign_transaction(
            submission.id, account.address, chain_next[account.address], sign
        )
        stored = self._store.get(submission.id)
        if stored is not None and not self._broadcast(stored):
            # The node refused the bytes outright: that nonce is unused, so give it back.
            self._store.reset_nonce(
                account.address, self._w3.eth.get_transaction_count(account.address, "pending")
            )

    def _broadcast(self, submission: Submission) -> bool:
        """Sends the stored signed bytes; False if the node refused them for good."""
        if submission.raw_tx is None:
            return True
        self._last_broadcast[submission.id] = time.monotonic()
        try:
            self._w3.eth.send_raw_transaction(submission.raw_tx)
        except Web3Exception as exc:
            message = str(exc).lower()
            if "already known" in message or "nonce too low" in message:
                return True  # the chain has these bytes (or mined them): follow the receipt
            self._store.mark_failed(submission.id, f"refused by the node: {exc}")
            return False
        return True

    def _follow_sent(self) -> int:
        sent = self._store.with_status(Status.SENT, limit=500)
        settled = 0
        for submission in sent:
            try:
                receipt = self._w3.eth.get_transaction_receipt(HexBytes(submission.tx_hash or ""))
            except TransactionNotFound:
                last = self._last_broadcast.get(submission.id, 0.0)
                if time.monotonic() - last > REBROADCAST_SECONDS:
                    self._broadcast(submission)
                continue
            settled += 1
            if receipt["status"] == 1:
                self._store.mark_included(submission.id, int(receipt["blockNumber"]))
            else:
                abi = self._contract_for(submission.election).abi
                refusal = decode_revert(
                    abi,  # type: ignore[arg-type]
                    revert_data_from_trace(self._w3, HexBytes(submission.tx_hash or "")),
                )
                self._store.mark_failed(submission.id, str(refusal), int(receipt["blockNumber"]))
            self._last_broadcast.pop(submission.id, None)
        return settled
