"""What the relayer reads from the chain to accept a batch of ballots: one round trip for all.

Accepting a ballot needs the chain's time and the revision the contract holds for the voter.
Asked one ballot at a time through web3 that is two requests and a few milliseconds of CPU per
ballot; here a whole batch of ballots costs one JSON-RPC batch request (the latest block and one
`ballotOf` call per voter), encoded and decoded by hand.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import requests
from eth_utils import function_signature_to_4byte_selector

from veche.chain.election import Ballot
from veche.relayer.errors import RelayerRefusal

_BALLOT_OF = function_signature_to_4byte_selector("ballotOf(uint256)").hex()


@dataclass(frozen=True)
class ChainState:
    """The chain's time (latest block) and the stored revision of each voter asked about."""

    now: int
    revisions: dict[tuple[str, int], int]


class ChainReads:
    def __init__(self, rpc_url: str, timeout: float = 10.0) -> None:
        self._url = rpc_url
        self._timeout = timeout
        self._local = threading.local()

    @property
    def _session(self) -> requests.Session:
        """This thread's keep-alive session (the intake and the status requests run apart)."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def state(self, voters: Sequence[tuple[str, int]]) -> ChainState:
        """The latest block's time and `ballotOf(nullifier).revision` for each
        `(election, nullifier)`; raises `RelayerRefusal` 502 if the chain cannot answer."""
        unique = list(dict.fromkeys(voters))
        calls: list[dict[str, Any]] = [
            {
                "jsonrpc": "2.0",
                "id": 0,
                "method": "eth_getBlockByNumber",
                "params": ["latest", False],
            }
        ]
        calls += [
            {
                "jsonrpc": "2.0",
                "id": position,
                "method": "eth_call",
                "params": [{"to": election, "data": f"0x{_BALLOT_OF}{nullifier:064x}"}, "latest"],
            }
            for position, (election, nullifier) in enumerate(unique, start=1)
        ]
        try:
            response = self._session.post(self._url, json=calls, timeout=self._timeout)
            answers = {answer["id"]: answer for answer in response.json()}
            now = int(answers[0]["result"]["timestamp"], 16)
            revisions = {}
            for position, voter in enumerate(unique, start=1):
                data = answers[position]["result"]
                # Ballot(uint32 district, uint32 choice, uint32 revision, uint64 castAt)
                revisions[voter] = int(data[2 + 64 * 2 : 2 + 64 * 3], 16)
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise RelayerRefusal("chain_unavailable", "the chain cannot be reached") from exc
        return ChainState(now, revisions)

    def ballot(self, election: str, nullifier: int) -> Ballot:
        """`ballotOf(nullifier)`: the ballot the chain counts for a voter (revision 0: none),
        in one raw `eth_call` (web3's contract call costs a millisecond or two of CPU)."""
        call: dict[str, Any] = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "eth_call",
            "params": [{"to": election, "data": f"0x{_BALLOT_OF}{nullifier:064x}"}, "latest"],
        }
        try:
            data = self._session.post(self._url, json=call, timeout=self._timeout).json()["result"]
            words = [int(data[2 + 64 * i : 2 + 64 * (i + 1)], 16) for i in range(4)]
        except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
            raise RelayerRefusal("chain_unavailable", "the chain cannot be reached") from exc
        return Ballot(*words)
