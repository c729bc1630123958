"""Raw JSON-RPC for reading a whole election fast: batched requests, `eth_getLogs` in block
ranges that adapt to what the node accepts, and every read pinned to one block.

web3.py wraps each log in attribute dictionaries and `HexBytes` and decodes through a generic
ABI decoder; at a million logs that costs more than fetching them. Here logs stay as the node's
JSON (hex strings) and the caller decodes the few fields it needs by hand.
"""

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from veche.errors import ChainError

LOG_RANGE_START = 1
"""Blocks asked for in the first `eth_getLogs` request; the range then adapts, growing at most
4 times a request (about ten requests to reach `LOG_RANGE_MAX` over empty blocks). One block
first: a block can hold megabytes of ballot records, and a first range of thousands of such
blocks made one answer of the whole election (700 MB of memory at 300,000 records)."""

LOG_RANGE_GROWTH = 4

LOG_RANGE_MAX = 100_000
"""Never ask for more blocks at once: public nodes refuse larger ranges anyway."""

LOGS_PER_REQUEST = 20_000
"""Aim for about this many logs a response: big enough to amortise a round trip, small enough
for the node's response limits and for memory (a ballot log is about 1 KB of JSON)."""

LOG_DATA_PER_REQUEST = 32_000_000
"""...and at most about this many characters of log data a response: a recorded-mode batch log
carries up to 256 records (152 KB of hex), so a count alone would ask for gigabytes."""

BATCH_SIZE = 500
"""JSON-RPC requests sent in one HTTP batch (block headers, view calls)."""


class RpcError(ChainError):
    """The node answered a request with an error (or not at all)."""

    def __init__(self, method: str, detail: str) -> None:
        self.method = method
        self.detail = detail
        super().__init__(f"{method} failed: {detail}")


class NoHistory(ChainError):
    """The node keeps no state at an old block, so the deployment block cannot be searched."""


@dataclass(frozen=True, slots=True)
class RawLog:
    """One log as the node sent it: hex strings, decoded by the caller."""

    block: int
    index: int
    """The log's index in its block."""
    topics: tuple[str, ...]
    data: str
    """`0x`-prefixed hex."""
    tx: str


class Rpc:
    """A JSON-RPC endpoint over one keep-alive HTTP session."""

    def __init__(self, url: str, *, timeout: float = 120.0) -> None:
        self.url = url
        self.timeout = timeout
        self._session = requests.Session()
        self._ids = itertools.count(1)
        self.requests = 0
        """HTTP requests made (a batch counts once): what a slow node or a public quota sees."""

    def close(self) -> None:
        self._session.close()

    def _post(self, body: Any) -> Any:
        self.requests += 1
        try:
            response = self._session.post(self.url, json=body, timeout=self.timeout)
            response.raise_for_status()
            return response.json()
        except (requests.RequestException, ValueError) as error:
            method = body[0]["method"] if isinstance(body, list) else body["method"]
            raise RpcError(method, " ".join(str(error).split())) from None

    def call(self, method: str, *params: Any) -> Any:
        """One request's result; raises `RpcError` with the node's message on an error."""
        answer = self._post(
            {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": list(params)}
        )
        if "error" in answer:
            raise RpcError(method, _error_text(answer["error"]))
        return answer["result"]

    def batch(self, method: str, params: Sequence[Sequence[Any]]) -> list[Any]:
        """The results of `method` for each parameter list, in order, `BATCH_SIZE` a request."""
        results: list[Any] = []
        for start in range(0, len(params), BATCH_SIZE):
            chunk = params[start : start + BATCH_SIZE]
            first = next(self._ids)
            body = [
                {"jsonrpc": "2.0", "id": first + i, "method": method, "params": list(p)}
                for i, p in enumerate(chunk)
            ]
            for _ in range(len(chunk) - 1):
                next(self._ids)
            answers = self._post(body)
            if not isinstance(answers, list):  # a node that refuses batches answers once
                raise RpcError(method, _error_text(answers.get("error", answers)))
            by_id = {answer.get("id"): answer for answer in answers}
            for i in range(len(chunk)):
                answer = by_id.get(first + i)
                if answer is None or "error" in answer:
                    raise RpcError(method, _error_text((answer or {}).get("error", "no answer")))
                results.append(answer["result"])
        return results

    # --- chain reads ---------------------------------------------------------------------------

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber"), 16)

    def chain_id(self) -> int:
        return int(self.call("eth_chainId"), 16)

    def code(self, address: str, block: int) -> bytes:
        return bytes.fromhex(self.call("eth_getCode", address, hex(block))[2:])

    def timestamps(self, blocks: Sequence[int]) -> dict[int, int]:
        """Each block's timestamp, one batched header request per `BATCH_SIZE` blocks."""
        wanted = sorted(set(blocks))
        headers = self.batch("eth_getBlockByNumber", [(hex(b), False) for b in wanted])
        found = {}
        for number, header in zip(wanted, headers, strict=True):
            if header is None:
                raise RpcError("eth_getBlockByNumber", f"the node has no block {number}")
            found[number] = int(header["timestamp"], 16)
        return found

    def deployment_block(self, address: str, pinned: int) -> int:
        """The first block at which `address` holds code, found by binary search on
        `eth_getCode` (about 30 requests on a chain of a billion blocks): trusting nobody's
        word for where the election starts, and missing none of its logs."""
        if not self.code(address, pinned):
            raise ChainError(f"{address} holds no code at block {pinned}")
        low, high = 0, pinned  # code at `high`; the answer is in [low, high]
        while low < high:
            middle = (low + high) // 2
            try:
                has_code = bool(self.code(address, middle))
            except RpcError as error:
                raise NoHistory(
                    f"the node keeps no state at block {middle} ({error.detail}): pass "
                    "--from-block with the deployment block of the election's deployment record"
                ) from None
            if has_code:
                high = middle
            else:
                low = middle + 1
        return low

    def logs(
        self,
        address: str,
        topics: Sequence[Any],
        from_block: int,
        to_block: int,
        *,
        on_range: Callable[[int, int], None] | None = None,
    ) -> Iterator[list[RawLog]]:
        """Every log of `address` matching `topics` in `[from_block, to_block]`, one list per
        request, in chain order.

        The block range adapts: halved when the node refuses a request (range or result too
        large) and resized after each answer to aim at `LOGS_PER_REQUEST` logs and at most
        `LOG_DATA_PER_REQUEST` characters of log data. `on_range`
        hears of each range done (for progress).
        """
        start, span = from_block, LOG_RANGE_START
        while start <= to_block:
            end = min(start + span - 1, to_block)
            try:
                found = self.call(
                    "eth_getLogs",
                    {
                        "address": address,
                        "topics": list(topics),
                        "fromBlock": hex(start),
                        "toBlock": hex(end),
                    },
                )
            except RpcError as error:
                if span == 1:
                    raise RpcError("eth_getLogs", f"at block {start}: {error.detail}") from None
                span = max(1, span // 2)
                continue
            batch = sorted(
                (
                    RawLog(
                        int(log["blockNumber"], 16),
                        int(log["logIndex"], 16),
                        tuple(log["topics"]),
                        log["data"],
                        log["transactionHash"],
                    )
                    for log in found
                ),
                key=lambda log: (log.block, log.index),
            )
            if on_range is not None:
                on_range(start, end)
            yield batch
            blocks = end - start + 1
            start = end + 1
            data = sum(len(log.data) for log in batch)  # at least "0x" a log
            span = (
                int(blocks * min(LOGS_PER_REQUEST / len(found), LOG_DATA_PER_REQUEST / data))
                if found
                else blocks * LOG_RANGE_GROWTH
            )
            span = max(1, min(LOG_RANGE_MAX, blocks * LOG_RANGE_GROWTH, span))

    def eth_call(self, to: str, data: str, block: int) -> str:
        """`eth_call` of `data` on `to` at `block`: every view a recount makes is pinned."""
        return str(self.call("eth_call", {"to": to, "data": data}, hex(block)))


def _error_text(error: Any) -> str:
    if isinstance(error, dict):
        return str(error.get("message", error))
    return str(error)
