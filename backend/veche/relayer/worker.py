"""The submission worker: turns queued ballots into transactions and follows them to a block.

- One sending thread per paying account, each with its own nonces, and none waits for a receipt
  before sending its next transaction: many transactions are in flight at once (pipelined).
- Ballots travel in batches (`castBallots`) where the contract has it, one at a time
  (`castBallot`) otherwise; `ballot_calls` chooses, from the contract's ABI. A batch that is
  not full waits up to `batch_wait` seconds for more ballots.
- The relayer checked every ballot as the contract would before accepting it, so a batch goes
  out as it is. If it reverts anyway (a race with another submitter, the closing instant), its
  ballots come back with one more attempt, and from then on a batch is first run with
  `eth_call`: if the contract refuses it, a ballot its error names is taken out, or else the
  batch is halved, until each refused ballot is alone and fails with the contract's own error
  for it (from `castBallot`, which names the ballot): one bad ballot never takes valid ones
  down.
- One following thread reads receipts. A mined batch makes its ballots `included`, except any
  the contract skipped (`BallotSkipped`: that revision was already counted), which fail with
  why. A batch that reverts sends its ballots back to the queue with one more attempt, and each
  attempt halves the batch a ballot may travel in; a single ballot that reverts fails with its
  error. A transaction with no receipt is broadcast again
  (same bytes) after `REBROADCAST_SECONDS`; one whose nonce another transaction took (the
  account was used elsewhere) can never be mined, and its ballots are queued again.
- On start every stored signed transaction without a receipt is broadcast again, in nonce order:
  after a crash the same bytes go out again, which the chain either has already or accepts once.
"""

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import requests
import rlp
from eth_abi import encode as abi_encode
from eth_account.signers.local import LocalAccount
from eth_utils import (
    event_signature_to_log_topic,
    function_signature_to_4byte_selector,
    to_checksum_address,
)
from hexbytes import HexBytes
from web3 import Web3
from web3.contract import Contract
from web3.exceptions import TransactionNotFound, Web3Exception

from veche.chain.client import _revert_data_from_trace as revert_data_from_trace
from veche.chain.client import decode_revert, simulate_call
from veche.chain.rpc import Rpc
from veche.chain.transactions import Fees, current_policy, replacement_fees
from veche.errors import ChainError, ContractRevert
from veche.protocol.spec import (
    CAST_BALLOTS_BASE_GAS,
    CAST_BALLOTS_PER_BALLOT_GAS,
    TRANSACTION_GAS_CAP,
)
from veche.relayer.encrypted import cast_encrypted_ballots_calldata, encrypted_calls
from veche.relayer.recorded import recorded_calls
from veche.relayer.store import Store, Submission, Transaction, TxStatus

log = logging.getLogger("veche.relayer.worker")

REBROADCAST_SECONDS = 15.0
"""A sent transaction with no receipt after this long is broadcast again (same bytes)."""

NONCE_TAKEN_SECONDS = 30.0
REORG_DEPTH = 64
"""How many blocks deep a mined transaction's block is watched for a reorganisation (two epochs
on Ethereum: finality); until then its signed bytes are kept, to be sent again if the block is
taken away."""
"""How long a transaction must stay unknown, its nonce used, before its ballots are requeued."""

FEE_SECONDS = 1.0
"""Fees are read again after this long."""

REPLACE_SECONDS = 30.0
"""A transaction not mined after this long, whose fees the chain's have overtaken, is signed
again with the same nonce and higher fees (EIP-1559 replacement)."""


MAX_TRANSACTION_GAS = TRANSACTION_GAS_CAP
"""EIP-7825's cap on one transaction's gas."""

_CHAIN_ERRORS = (Web3Exception, ChainError, requests.RequestException, OSError)

_BALLOT_SKIPPED = event_signature_to_log_topic("BallotSkipped(uint256,uint32,uint32)").hex()


# --- how ballots become contract calls ---------------------------------------------------------


class BallotCalls(Protocol):
    """How a group of ballots becomes one transaction's calldata, and the gas it is given."""

    @property
    def max_ballots(self) -> int: ...

    def calldata(self, ballots: Sequence[Submission]) -> bytes: ...

    def gas(self, count: int) -> int: ...


def abi_calldata(signature: str, types: Sequence[str], args: Sequence[Any]) -> bytes:
    """`signature`'s selector and `args` ABI-encoded as `types` (eth_abi)."""
    return function_signature_to_4byte_selector(signature) + abi_encode(list(types), list(args))


def _word(value: int) -> bytes:
    return value.to_bytes(32, "big")


_CAST_BALLOT = function_signature_to_4byte_selector(
    "castBallot(uint32,uint256,uint256,uint32,uint32,uint256[8])"
)
_CAST_BALLOTS = function_signature_to_4byte_selector(
    "castBallots((uint32,uint32,uint32,uint256,uint256,uint256[8])[])"
)


def cast_ballot_calldata(ballot: Submission) -> bytes:
    """`castBallot(district, merkleRoot, nullifier, choice, revision, proof)`: every argument
    is static, so the ABI encoding is the selector and one 32-byte word per value."""
    return _CAST_BALLOT + b"".join(
        map(
            _word,
            (
                ballot.district,
                ballot.merkle_root,
                ballot.nullifier,
                ballot.plain_choice,
                ballot.revision,
                *ballot.proof,
            ),
        )
    )


def cast_ballots_calldata(ballots: Sequence[Submission]) -> bytes:
    """`castBallots(BallotInput[])`: a dynamic array of static tuples is its offset (32), its
    length, then each tuple's words in order (district, choice, revision, merkleRoot,
    nullifier, proof[8]). Encoded by hand: eth_abi takes about 0.1 ms a ballot."""
    words = [_word(32), _word(len(ballots))]
    for b in ballots:
        words += map(
            _word, (b.district, b.plain_choice, b.revision, b.merkle_root, b.nullifier, *b.proof)
        )
    return _CAST_BALLOTS + b"".join(words)


@dataclass(frozen=True)
class SingleBallots:
    """One `castBallot` per transaction (a contract without `castBallots`)."""

    ballot_gas: int
    max_ballots: int = 1

    def calldata(self, ballots: Sequence[Submission]) -> bytes:
        (ballot,) = ballots
        return cast_ballot_calldata(ballot)

    def gas(self, count: int) -> int:
        return self.ballot_gas


@dataclass(frozen=True)
class BatchedBallots:
    """`castBallots(BallotInput[])`, one proof check for the whole batch; a lone ballot goes
    through `castBallot`, whose errors name it."""

    ballot_gas: int
    """Gas of a lone `castBallot`."""
    batch_ballot_gas: int
    """Gas per ballot in a batch, on top of `batch_base_gas`."""
    max_ballots: int
    batch_base_gas: int = CAST_BALLOTS_BASE_GAS

    def calldata(self, ballots: Sequence[Submission]) -> bytes:
        if len(ballots) == 1:
            return cast_ballot_calldata(ballots[0])
        return cast_ballots_calldata(ballots)

    def gas(self, count: int) -> int:
        if count == 1:
            return self.ballot_gas
        return min(MAX_TRANSACTION_GAS, self.batch_base_gas + count * self.batch_ballot_gas)


def ballot_calls(
    contract: Contract, ballot_gas: int, batch_size: int, batch_ballot_gas: int
) -> BallotCalls:
    """Batches if the contract has `castBallots`, as large as `batch_size` and the per-
    transaction gas cap allow; single ballots otherwise."""
    if (encrypted := encrypted_calls(contract, batch_size)) is not None:
        return encrypted
    if (recorded := recorded_calls(contract, batch_size)) is not None:  # owner: ballots
        return recorded
    names = {entry.get("name") for entry in contract.abi if entry.get("type") == "function"}
    if "castBallots" not in names or batch_size < 2:
        return SingleBallots(ballot_gas)
    base = BatchedBallots.batch_base_gas
    fitting = (MAX_TRANSACTION_GAS - base) // batch_ballot_gas
    if "MAX_BALLOTS_PER_BATCH" in names:
        fitting = min(fitting, int(contract.functions.MAX_BALLOTS_PER_BATCH().call()))
    return BatchedBallots(ballot_gas, batch_ballot_gas, max(1, min(batch_size, fitting)))


# --- the worker --------------------------------------------------------------------------------


class Worker:
    def __init__(
        self,
        w3: Web3,
        store: Store,
        accounts: Sequence[LocalAccount],
        contract_for: Callable[[str], Contract],
        ballot_gas: int,
        batch_size: int = 64,
        batch_ballot_gas: int = CAST_BALLOTS_PER_BALLOT_GAS,
        batch_wait: float = 0.25,
        poll_seconds: float = 0.05,
        replace_seconds: float = REPLACE_SECONDS,
    ) -> None:
        self._w3 = w3
        self._rpc_url = str(getattr(w3.provider, "endpoint_uri", ""))
        self._local = threading.local()
        self._replace_seconds = replace_seconds
        self._by_address: dict[str, LocalAccount] = {str(a.address): a for a in accounts}
        self._store = store
        self._accounts = list(accounts)
        self._contract_for = contract_for
        self._ballot_gas = ballot_gas
        self._batch_size = batch_size
        self._batch_ballot_gas = batch_ballot_gas
        self._batch_wait = batch_wait
        self._poll = poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._recovered = threading.Event()
        self._claim_lock = threading.Lock()
        self._claimed: set[int] = set()
        self._calls: dict[str, BallotCalls] = {}
        self._last_broadcast: dict[int, float] = {}
        self._missing_since: dict[int, float] = {}
        self._head: tuple[int, bytes] | None = None
        self._mined_in: dict[int, tuple[bytes, list[int]]] = {}
        """Block number -> (its hash, our transactions in it), for the last `REORG_DEPTH`."""
        self._fees_checked: dict[int, float] = {}
        self._fee_cache: tuple[float, dict[str, int]] = (0.0, {})
        self._chain_id = int(w3.eth.chain_id)
        self._threads = [
            threading.Thread(target=self._follow_loop, name="veche-follower", daemon=True)
        ] + [
            threading.Thread(
                target=self._send_loop, args=(account,), name=f"veche-sender-{n}", daemon=True
            )
            for n, account in enumerate(self._accounts)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._recovered.set()
        for thread in self._threads:
            thread.join(10)

    def wake(self) -> None:
        self._wake.set()

    def _idle(self) -> None:
        self._wake.wait(self._poll)
        self._wake.clear()

    def _calls_for(self, election: str) -> tuple[Contract, BallotCalls]:
        contract = self._contract_for(election)
        if election not in self._calls:
            self._calls[election] = ballot_calls(
                contract, self._ballot_gas, self._batch_size, self._batch_ballot_gas
            )
        return contract, self._calls[election]

    def _rpc(self) -> Rpc:
        """This thread's JSON-RPC connection (raw requests: web3 costs milliseconds a call)."""
        rpc: Rpc | None = getattr(self._local, "rpc", None)
        if rpc is None:
            rpc = self._local.rpc = Rpc(self._rpc_url, timeout=30.0)
        return rpc

    def _mixed_batch(self, calls: Sequence[tuple[str, list[Any]]]) -> list[Any]:
        """One HTTP request for several JSON-RPC calls; each answer's result, or None where the
        node answered with an error (a receipt it does not have is a null result)."""
        if not calls:
            return []
        answers = self._rpc()._post(
            [
                {"jsonrpc": "2.0", "id": n, "method": method, "params": params}
                for n, (method, params) in enumerate(calls)
            ]
        )
        if not isinstance(answers, list):
            raise ChainError(f"the node refused a batch request: {answers}")
        by_id = {answer.get("id"): answer for answer in answers}
        return [(by_id.get(n) or {}).get("result") for n in range(len(calls))]

    # --- sending -------------------------------------------------------------------------------

    def _send_loop(self, account: LocalAccount) -> None:
        self._recovered.wait()
        while not self._stop.is_set():
            batch = self._claim()
            if not batch:
                self._idle()
                continue
            try:
                self._submit(account, batch)
            except _CHAIN_ERRORS as exc:
                log.warning("chain unavailable, retrying: %s", type(exc).__name__)
                time.sleep(self._poll)
            finally:
                with self._claim_lock:
                    self._claimed.difference_update(b.id for b in batch)

    def _claim(self) -> list[Submission]:
        """Takes the oldest queued ballots no other sender holds, for one election, as many as
        their attempts allow (each attempt halves the batch), leaving out any ballot whose
        voter has an earlier revision still unsettled (it would land out of order)."""
        with self._claim_lock:
            heads = self._store.queued_heads(2 * self._batch_size + len(self._claimed))
            free = [h for h in heads if h[0] not in self._claimed]
            if (
                free
                and len(free) < self._calls_for(free[0][1])[1].max_ballots
                and time.time() - free[0][5] < self._batch_wait
            ):
                return []  # not enough for a full batch yet, and the oldest can wait
            chosen: list[tuple[int, str, int, int, int, float]] = []
            voters: set[tuple[str, int]] = set()
            full = False
            for head in heads:
                id_, election, nullifier, revision, attempts, _ = head
                if id_ in self._claimed or (chosen and election != chosen[0][1]):
                    continue
                _, calls = self._calls_for(election)
                most = max([attempts] + [c[4] for c in chosen])
                if len(chosen) >= max(1, calls.max_ballots >> most):
                    full = True
                    break
                voter = (election, nullifier)
                if voter in voters or (
                    revision > 1 and self._store.unsettled_below(election, nullifier, revision)
                ):
                    continue
                voters.add(voter)
                chosen.append(head)
            # A batch that is not full waits a little for more ballots: one transaction for
            # many costs far less gas than one each.
            if (
                chosen
                and not full
                and self._calls_for(chosen[0][1])[1].max_ballots > 1
                and time.time() - min(c[5] for c in chosen) < self._batch_wait
            ):
                return []
            self._claimed.update(c[0] for c in chosen)
        return self._store.get_many([c[0] for c in chosen]) if chosen else []

    def _submit(self, account: LocalAccount, batch: list[Submission]) -> None:
        contract, calls = self._calls_for(batch[0].election)
        # A first attempt goes out as it is: everything the contract checks was checked when
        # the ballots were accepted, and a simulation would double the chain's work for each
        # batch. What could not be foreseen (another submitter's race, the closing instant)
        # comes back as a revert, and from then on the ballots are simulated and split.
        if all(ballot.attempts == 0 for ballot in batch):
            groups = [batch]
        else:
            groups = self._simulated_groups(account, contract, calls, batch)
        if not groups:
            return
        fees = self._fees()
        chain_next = int(
            self._rpc().call("eth_getTransactionCount", account.address, "pending"), 16
        )
        for group in groups:
            if self._stop.is_set():
                return
            unsigned = {
                "type": 2,
                "chainId": self._chain_id,
                "to": contract.address,
                "value": 0,
                "data": calls.calldata(group),
                "gas": calls.gas(len(group)),
                "accessList": [],
                **fees,
            }

            def sign(nonce: int, unsigned: dict[str, Any] = unsigned) -> tuple[str, bytes]:
                signed = account.sign_transaction(dict(unsigned, nonce=nonce))
                return HexBytes(signed.hash).to_0x_hex(), bytes(signed.raw_transaction)

            recorded = self._store.record_transaction(
                group[0].election, [b.id for b in group], account.address, chain_next, sign
            )
            chain_next = recorded.nonce + 1
            refusal = self._broadcast(recorded)
            if refusal is not None:
                # The node refused the bytes outright: the nonce is unused, give it back, and
                # the ballots wait for another transaction (never failed for the node's sake).
                self._store.mark_unsent(recorded.id, TxStatus.DROPPED, None, refusal)
                chain_next = int(
                    self._rpc().call("eth_getTransactionCount", account.address, "pending"), 16
                )
                self._store.reset_nonce(account.address, chain_next)
                time.sleep(self._poll)

    def _simulated_groups(
        self,
        account: LocalAccount,
        contract: Contract,
        calls: BallotCalls,
        ballots: list[Submission],
    ) -> list[list[Submission]]:
        """`ballots` split into groups the contract accepts (with `eth_call`); each ballot it
        refuses alone is marked failed with the contract's error for it."""
        try:
            simulate_call(
                self._w3,
                {
                    "from": account.address,
                    "to": contract.address,
                    "data": HexBytes(calls.calldata(ballots)),
                    "gas": calls.gas(len(ballots)),
                },
                contract.abi,  # type: ignore[arg-type]
            )
            return [ballots]
        except ContractRevert as refusal:
            named = [b for b in ballots if refusal.values.get("nullifier") == b.nullifier]
            if len(ballots) == 1 or named:
                # Refused before any gas is spent: the ballot cannot count (a newer revision
                # landed first, the voting period ended while it was queued...). A batch's
                # error that names a ballot's nullifier takes out that ballot alone.
                culprit = named[0] if named else ballots[0]
                self._refused(contract, culprit, refusal)
                rest = [b for b in ballots if b is not culprit]
                return self._simulated_groups(account, contract, calls, rest) if rest else []
        half = len(ballots) // 2
        return self._simulated_groups(
            account, contract, calls, ballots[:half]
        ) + self._simulated_groups(account, contract, calls, ballots[half:])

    def _refused(self, contract: Contract, ballot: Submission, refusal: ContractRevert) -> None:
        """Settles a ballot the contract refuses: failed with the contract's error for it,
        unless the chain already counts this very vote (an identical copy landed first)."""
        if self._counts_same_vote(contract, ballot):
            self._store.mark_counted_elsewhere([ballot.id])
        else:
            self._store.mark_failed([ballot.id], self._reason(contract, ballot, refusal))

    def _counts_same_vote(self, contract: Contract, ballot: Submission) -> bool:
        """Whether the chain counts this ballot's vote: same district, choice and revision."""
        data = self._rpc().call(
            "eth_call",
            {"to": contract.address, "data": f"0x{_BALLOT_OF}{ballot.nullifier:064x}"},
            "latest",
        )
        words = [int(data[2 + 64 * i : 2 + 64 * (i + 1)], 16) for i in range(3)]
        # Ballot(uint32 district, uint32 choice, uint32 revision, uint64 castAt); an encrypted
        # ballot is known by district and revision (its nullifier and revision name one proof)
        if ballot.choice is None:
            return words[2] != 0 and [words[0], words[2]] == [ballot.district, ballot.revision]
        return words[2] != 0 and words == [ballot.district, ballot.choice, ballot.revision]

    def _reason(self, contract: Contract, ballot: Submission, refusal: ContractRevert) -> str:
        """The contract's error for `ballot` alone: a batch's error is replaced by the one
        `castBallot` gives for it (which says what is wrong with that ballot)."""
        if refusal.values.get("nullifier") == ballot.nullifier:
            return str(refusal)
        try:
            simulate_call(
                self._w3,
                {
                    "to": contract.address,
                    "data": HexBytes(
                        cast_encrypted_ballots_calldata([ballot])
                        if ballot.ciphertext
                        else cast_ballot_calldata(ballot)
                    ),
                    "gas": self._ballot_gas,
                },
                contract.abi,  # type: ignore[arg-type]
            )
        except ContractRevert as alone:
            return str(alone)
        return str(refusal)

    def _fees(self) -> dict[str, int]:
        """EIP-1559 fees, read at most once a second (twice the base fee, so that a
        transaction stays valid through a few blocks of rising fees)."""
        read_at, fees = self._fee_cache
        if time.monotonic() - read_at > FEE_SECONDS:
            block, tip_hex = self._mixed_batch(
                [("eth_getBlockByNumber", ["latest", False]), ("eth_maxPriorityFeePerGas", [])]
            )
            if block is None or tip_hex is None:
                raise ChainError("the node did not answer for the fees")
            base, tip = int(block.get("baseFeePerGas") or "0x0", 16), int(tip_hex, 16)
            fees = {"maxFeePerGas": 2 * base + tip, "maxPriorityFeePerGas": tip}
            self._fee_cache = (time.monotonic(), fees)
        return fees

    def _broadcast(self, transaction: Transaction) -> str | None:
        """Sends the stored signed bytes; the node's reason if it refused them for good."""
        if transaction.raw_tx is None:
            return None
        self._last_broadcast[transaction.id] = time.monotonic()
        answer = self._rpc()._post(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "eth_sendRawTransaction",
                "params": [HexBytes(transaction.raw_tx).to_0x_hex()],
            }
        )
        if "error" in answer:
            error = answer["error"]
            message = str(error.get("message", error) if isinstance(error, dict) else error)
            lowered = message.lower()
            if "already known" in lowered or "nonce too low" in lowered:
                return None  # the chain has these bytes, or that nonce is taken: follow it
            if "replacement" in lowered or "underpriced" in lowered:
                return None  # another version of this nonce is pending: follow them
            return f"refused by the node: {message}"
        return None

    # --- replacing -----------------------------------------------------------------------------

    def _replace(self, transaction: Transaction) -> None:
        """Signs `transaction` again, same nonce and calldata, with both fees raised as
        `replacement_fees` says (by a fixed step, and to at least the chain's current ones);
        stores it (the earlier hash is kept, since either may still be mined) and broadcasts
        it."""
        account = self._by_address.get(transaction.sender)
        if account is None or transaction.raw_tx is None:
            return
        fields = rlp.decode(transaction.raw_tx[1:])  # EIP-1559: 0x02 || rlp([...])
        chain_id, nonce, tip, max_fee, gas, to, value, data = fields[:8]
        fees = replacement_fees(
            self._w3, Fees(_int(max_fee), _int(tip), 0), current_policy()
        )  # the rule every sender of Veche follows (veche.chain.transactions)
        if fees is None:
            return  # above the operator's fee cap: the transaction waits
        signed = account.sign_transaction(
            {
                "type": 2,
                "chainId": _int(chain_id),
                "nonce": _int(nonce),
                "to": to_checksum_address(to),
                "value": _int(value),
                "data": bytes(data),
                "gas": _int(gas),
                "accessList": [],
                **fees.as_params(),
            }
        )
        replaced = self._store.replace_transaction(
            transaction.id, HexBytes(signed.hash).to_0x_hex(), bytes(signed.raw_transaction)
        )
        if replaced is not None:
            log.info("transaction fees raised (nonce %d of a paying account)", replaced.nonce)
            self._broadcast(replaced)

    # --- following -----------------------------------------------------------------------------

    def _follow_loop(self) -> None:
        try:
            self._recover()
        except _CHAIN_ERRORS as exc:
            log.warning("could not re-broadcast at start, will retry: %s", type(exc).__name__)
        finally:
            self._recovered.set()
        while not self._stop.is_set():
            try:
                settled = self._follow()
            except _CHAIN_ERRORS as exc:
                log.warning("chain unavailable, retrying: %s", type(exc).__name__)
                settled = 0
            if not settled:
                time.sleep(self._poll)

    def _recover(self) -> None:
        """Re-broadcasts, in nonce order, every signed transaction that has no receipt yet,
        including those whose block was reorganised away while the relayer was down."""
        for transaction in self._store.recently_mined():
            try:
                self._w3.eth.get_transaction_receipt(HexBytes(transaction.tx_hash))
            except TransactionNotFound:
                log.warning("a mined transaction's block is gone: sending it again")
                self._store.mark_reorganised(transaction.id)
        pending = self._store.pending_transactions()
        for transaction in pending:
            self._broadcast(transaction)
        if pending:
            log.info("resumed %d transactions in flight", len(pending))

    def _follow(self) -> int:
        self._check_reorganisation()
        pending = self._store.pending_transactions()
        if not pending:
            return 0
        # One request for everything: the mined nonce count of each sender, read before the
        # receipts (a nonce below it is taken for good, so a transaction with that nonce and no
        # receipt after this read will never be mined), and every hash's receipt, the current
        # one and any it replaced.
        senders = sorted({t.sender for t in pending})
        hashes = [(t, h) for t in pending for h in (t.tx_hash, *t.earlier_hashes)]
        answers = self._mixed_batch(
            [("eth_getTransactionCount", [s, "latest"]) for s in senders]
            + [("eth_getTransactionReceipt", [h]) for _, h in hashes]
        )
        if any(a is None for a in answers[: len(senders)]):
            raise ChainError("the node did not answer for the nonces")
        mined_nonces = {s: int(a, 16) for s, a in zip(senders, answers, strict=False)}
        receipts: dict[int, dict[str, Any]] = {}
        for (transaction, _), receipt in zip(hashes, answers[len(senders) :], strict=True):
            if receipt is not None:
                receipts[transaction.id] = receipt
        settled = 0
        for transaction in pending:
            receipt = receipts.get(transaction.id)
            if receipt is None:
                settled += self._unmined(transaction, mined_nonces[transaction.sender])
                continue
            settled += 1
            block = int(receipt["blockNumber"], 16)
            if int(receipt["status"], 16) == 1:
                counted, skipped = self._skipped(transaction, receipt)
                self._store.mark_mined(
                    transaction.id,
                    block,
                    skipped,
                    tx_hash=receipt["transactionHash"],
                    counted_elsewhere=counted,
                )
                held = self._mined_in.setdefault(block, (bytes(HexBytes(receipt["blockHash"])), []))
                held[1].append(transaction.id)
            elif len(transaction.ballot_ids) == 1 and self._lone_counted(transaction):
                # It reverted because an identical copy, sent elsewhere, landed first: the
                # voter's ballot counts.
                self._store.mark_unsent(transaction.id, TxStatus.REVERTED, block, "", fail=True)
                self._store.mark_counted_elsewhere(transaction.ballot_ids)
            else:
                abi = self._contract_for(transaction.election).abi
                refusal = decode_revert(
                    abi,  # type: ignore[arg-type]
                    revert_data_from_trace(self._w3, HexBytes(receipt["transactionHash"])),
                )
                # A lone ballot fails with its own error; a batch is split and tried again.
                self._store.mark_unsent(
                    transaction.id,
                    TxStatus.REVERTED,
                    block,
                    str(refusal),
                    fail=len(transaction.ballot_ids) == 1,
                )
                self.wake()
            self._last_broadcast.pop(transaction.id, None)
            self._missing_since.pop(transaction.id, None)
            self._fees_checked.pop(transaction.id, None)
        return settled

    def _unmined(self, transaction: Transaction, mined_nonces: int) -> int:
        """Handles a transaction with no receipt: requeues its ballots if its nonce was taken
        by another (1), else re-broadcasts or replaces it when it has waited long enough (0)."""
        if self._nonce_taken(transaction, mined_nonces):
            log.warning("a transaction's nonce was taken by another: ballots requeued")
            self._store.mark_unsent(
                transaction.id, TxStatus.DROPPED, None, "nonce taken by another"
            )
            return 1
        now = time.monotonic()
        if (
            transaction.nonce >= mined_nonces
            and time.time() - transaction.updated > self._replace_seconds
            and now - self._fees_checked.get(transaction.id, 0.0)
            > min(REBROADCAST_SECONDS, self._replace_seconds)
        ):
            self._fees_checked[transaction.id] = now  # the fees are read again, not every poll
            if self._overtaken(transaction):
                self._replace(transaction)
                return 0
        if now - self._last_broadcast.get(transaction.id, 0.0) > REBROADCAST_SECONDS:
            self._broadcast(transaction)
        return 0

    def _overtaken(self, transaction: Transaction) -> bool:
        """Whether the chain's fees are now above `transaction`'s: its fee cap below the
        current base fee, or its tip below the current tip."""
        if transaction.raw_tx is None:
            return False
        fields = rlp.decode(transaction.raw_tx[1:])
        tip, max_fee = _int(fields[2]), _int(fields[3])
        self._fee_cache = (0.0, {})
        current = self._fees()
        base = (current["maxFeePerGas"] - current["maxPriorityFeePerGas"]) // 2
        return (
            max_fee < base + current["maxPriorityFeePerGas"]
            or tip < (current["maxPriorityFeePerGas"])
        )

    def _check_reorganisation(self) -> None:
        """Puts back in flight every transaction whose block was reorganised away.

        One header a poll while the chain only grows (the previous head is still an ancestor);
        when it is not, each block that held one of our transactions is compared with the
        block now at its height, and the transactions of every replaced block are sent again
        with their stored bytes (their nonces are free again on the new chain)."""
        head = self._w3.eth.get_block("latest")
        number, hash_ = int(head["number"]), bytes(head["hash"])
        previous, self._head = self._head, (number, hash_)
        if previous is None or previous == (number, hash_):
            return
        if number >= previous[0] and self._hash_at(previous[0]) == previous[1]:
            self._forget_below(number - REORG_DEPTH)
            return
        for block, (held_hash, tx_ids) in sorted(self._mined_in.items()):
            if block <= number and self._hash_at(block) == held_hash:
                continue
            log.warning(
                "block %d was reorganised away: %d transaction(s) in flight again",
                block,
                len(tx_ids),
            )
            for tx_id in tx_ids:
                self._store.mark_reorganised(tx_id)
            del self._mined_in[block]

    def _hash_at(self, number: int) -> bytes | None:
        block = self._w3.eth.get_block(number)
        return None if block is None else bytes(block["hash"])

    def _forget_below(self, block: int) -> None:
        deep = [number for number in self._mined_in if number < block]
        if deep:
            for number in deep:
                del self._mined_in[number]
            self._store.forget_signed(block)

    def _nonce_taken(self, transaction: Transaction, mined_nonces: int) -> bool:
        """Whether another transaction took `transaction`'s nonce, so that it can never be
        mined: its nonce is below the account's mined count, it has no receipt, and the node
        has not heard of it, for `NONCE_TAKEN_SECONDS` on end (a node can count a mined
        transaction's nonce a moment before it serves its receipt)."""
        known = transaction.nonce >= mined_nonces
        if not known:
            found = self._mixed_batch(
                [
                    ("eth_getTransactionByHash", [h])
                    for h in (transaction.tx_hash, *transaction.earlier_hashes)
                ]
            )
            known = any(f is not None for f in found)
        if known:
            self._missing_since.pop(transaction.id, None)
            return False
        first = self._missing_since.setdefault(transaction.id, time.monotonic())
        return time.monotonic() - first > NONCE_TAKEN_SECONDS

    def _lone_counted(self, transaction: Transaction) -> bool:
        (ballot,) = self._store.get_many(transaction.ballot_ids)
        return self._counts_same_vote(self._contract_for(transaction.election), ballot)

    def _skipped(
        self, transaction: Transaction, receipt: dict[str, Any]
    ) -> tuple[list[int], dict[int, str]]:
        """The ballots of a mined batch that the contract skipped (`BallotSkipped`: their voter
        already had this revision or a later one): those whose very vote the chain counts (an
        identical copy landed first), and the others with why they failed."""
        if len(transaction.ballot_ids) < 2:
            return [], {}
        skipped: dict[tuple[int, int], str] = {}
        for entry in receipt.get("logs") or []:
            topics = entry.get("topics") or []
            if len(topics) < 2 or topics[0][2:].lower() != _BALLOT_SKIPPED:
                continue
            data = entry["data"][2:]
            revision, stored = int(data[:64], 16), int(data[64:128], 16)
            skipped[(int(topics[1], 16), revision)] = (
                f"BallotSkipped(revision={revision}, storedRevision={stored})"
            )
        if not skipped:
            return [], {}
        contract = self._contract_for(transaction.election)
        counted: list[int] = []
        failed: dict[int, str] = {}
        for ballot in self._store.get_many(transaction.ballot_ids):
            reason = skipped.get((ballot.nullifier, ballot.revision))
            if reason is None:
                continue
            if self._counts_same_vote(contract, ballot):
                counted.append(ballot.id)
            else:
                failed[ballot.id] = reason
        return counted, failed


_BALLOT_OF = function_signature_to_4byte_selector("ballotOf(uint256)").hex()


def _int(field: bytes) -> int:
    return int.from_bytes(field, "big")
