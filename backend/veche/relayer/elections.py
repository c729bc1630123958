"""What the relayer knows about each election it serves, read from the chain and cached.

Only values that cannot change once voting is open are cached (calendar, scope, districts and
their registers' roots, which are frozen when registration closes); a ballot's stored revision is
always read fresh.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

from eth_utils import to_checksum_address
from web3 import Web3

from veche.chain.election import ElectionContract
from veche.chain.genuine import require_genuine_election
from veche.crypto.hashing import semaphore_hash
from veche.errors import ChainError, NotAnElection
from veche.model import DistrictRules, ElectionRules
from veche.protocol import BallotMode, BallotSecrecy
from veche.relayer.errors import RelayerRefusal


@dataclass(frozen=True)
class ElectionView:
    contract: ElectionContract
    rules: ElectionRules
    scope_signal: int
    recorded: bool = False
    """The recorded ballot mode: the contract stores no revision (`ballotOf` stays empty), so
    the revision a voter's ballot must follow is not on chain for the relayer to read."""
    encrypted: bool = False
    """Ballots carry a ciphertext of the choice (`ballotSecrecy` encrypted), never the choice."""


class ElectionDirectory:
    """Looks elections up once and keeps the immutable part of what it learns."""

    def __init__(self, w3: Web3, allowed: frozenset[str]) -> None:
        self._w3 = w3
        self._allowed = allowed
        self._views: dict[str, ElectionView] = {}
        self._lock = threading.Lock()
        self._loading = threading.Lock()

    def get(self, address: str, now: Callable[[], int]) -> ElectionView:
        """The view of the election at `address`; `now` (chain time) is asked only when the
        election is not cached yet."""
        view = self._views.get(address.lower())  # cached views are keyed by lower-case address
        if view is not None:
            return view
        address = to_checksum_address(address)
        if self._allowed and address not in self._allowed:
            raise RelayerRefusal("unknown_election", "this relayer does not serve that election")
        with self._loading:  # many first ballots at once: one of them loads, the rest wait
            view = self._views.get(address.lower())
            if view is not None:
                return view
            view = self._load(address)
            # The root is only final once registration has closed; before that, not cached.
            if now() >= view.rules.calendar.registration_end:
                with self._lock:
                    self._views[address.lower()] = view
        return view

    def cached(self, address: str) -> bool:
        """Whether the view of `address` is cached (`get` will not call the chain)."""
        return address.lower() in self._views

    def contract(self, address: str) -> ElectionContract:
        """The election contract at `address` (already looked up when its ballot was accepted)."""
        view = self._views.get(address.lower())
        return view.contract if view is not None else ElectionContract(self._w3, address)

    def _load(self, address: str) -> ElectionView:
        try:
            contract = ElectionContract(self._w3, address)  # refuses anything but an Election
            require_genuine_election(contract)  # and one with a look-alike verifier or library
            rules = ElectionRules(
                calendar=contract.calendar(),
                scope=contract.scope(),
                districts=tuple(
                    DistrictRules(
                        option_count=d.option_count,
                        merkle_root=d.merkle_root,
                        members=d.member_count,
                        minimum_members=d.minimum_members,
                    )
                    for d in contract.districts()
                ),
            )
        except NotAnElection as exc:
            raise RelayerRefusal("unknown_election", str(exc)) from exc
        except ChainError as exc:
            raise RelayerRefusal("chain_unavailable", str(exc)) from exc
        recorded = contract.ballot_mode() is BallotMode.RECORDED
        encrypted = contract.ballot_secrecy() is BallotSecrecy.ENCRYPTED
        return ElectionView(contract, rules, semaphore_hash(rules.scope), recorded, encrypted)
