"""The keccak-based encodings of PROTOCOL.md: Semaphore's hash, the ballot message, the election
scope and the circuit's public signals.

The contract computes the same values in Solidity and the voter's browser in JavaScript; a single
differing byte would make every ballot's proof fail, so each function here is one rule of
PROTOCOL.md and is checked against `tests/vectors/hashing.json`.
"""

from collections.abc import Sequence

from eth_utils import is_address, keccak, to_canonical_address

from veche.crypto.errors import InvalidAddress, MessageFieldOutOfRange, Uint256OutOfRange
from veche.crypto.field import require_field_element
from veche.protocol.spec import (
    FIRST_REVISION,
    MESSAGE_CHOICE_SHIFT,
    MESSAGE_DISTRICT_SHIFT,
    MESSAGE_FIELD_BITS,
    MESSAGE_REVISION_SHIFT,
)

UINT32_MAX = 2**MESSAGE_FIELD_BITS - 1
_UINT256_LIMIT = 2**256


def _uint256_bytes(value: int, what: str) -> bytes:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < _UINT256_LIMIT:
        raise Uint256OutOfRange(what, value)
    return value.to_bytes(32, "big")


def semaphore_hash(value: int) -> int:
    """`H(x) = uint256(keccak256(abi.encodePacked(uint256 x))) >> 8`, below `r`.

    Semaphore hashes the message and the scope this way so that any `uint256` becomes a field
    element (248 bits) before it enters the circuit.
    """
    return int.from_bytes(keccak(_uint256_bytes(value, "hashed value")), "big") >> 8


def _require_uint32(value: int, what: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= UINT32_MAX:
        raise MessageFieldOutOfRange(what, value)
    return value


def pack_message(choice: int, revision: int, district: int = 0) -> int:
    """The ballot `message = (district << 64) | (revision << 32) | choice` (each a uint32,
    `revision` >= 1).

    Binding the revision into the proven message stops anyone from re-submitting a voter's
    earlier, public ballot after the voter changed it; binding the district stops a ballot
    from being moved to another district's count.
    """
    _require_uint32(choice, "choice")
    _require_uint32(revision, "revision", minimum=FIRST_REVISION)
    _require_uint32(district, "district")
    return (
        (district << MESSAGE_DISTRICT_SHIFT)
        | (revision << MESSAGE_REVISION_SHIFT)
        | (choice << MESSAGE_CHOICE_SHIFT)
    )


def unpack_message(message: int) -> tuple[int, int, int]:
    """`(choice, revision, district)` of a packed message; the inverse of `pack_message`."""
    limit = 2 ** (MESSAGE_DISTRICT_SHIFT + MESSAGE_FIELD_BITS)
    if not isinstance(message, int) or isinstance(message, bool) or not 0 <= message < limit:
        raise MessageFieldOutOfRange("message", message)
    choice = (message >> MESSAGE_CHOICE_SHIFT) & UINT32_MAX
    revision = (message >> MESSAGE_REVISION_SHIFT) & UINT32_MAX
    district = message >> MESSAGE_DISTRICT_SHIFT
    _require_uint32(revision, "revision", minimum=FIRST_REVISION)
    return choice, revision, district


def message_signal(choice: int, revision: int, district: int = 0) -> int:
    """The circuit's public `message` signal: `H(pack_message(choice, revision, district))`."""
    return semaphore_hash(pack_message(choice, revision, district))


def _address_bytes(address: str | bytes) -> bytes:
    if isinstance(address, bytes) and len(address) == 20:
        return address
    if isinstance(address, str) and is_address(address):
        return to_canonical_address(address)
    raise InvalidAddress(address)


def election_scope(chain_id: int, address: str | bytes) -> int:
    """`uint256(keccak256(abi.encode(block.chainid, address(election))))`.

    One value per election and chain: a proof made for one election, or for a copy of it
    deployed on another chain, is worthless anywhere else.
    """
    encoded = _uint256_bytes(chain_id, "chain id") + b"\x00" * 12 + _address_bytes(address)
    return int.from_bytes(keccak(encoded), "big")


def scope_signal(scope: int) -> int:
    """The circuit's public `scope` signal: `H(electionScope)` (nullifiers are bound to it)."""
    return semaphore_hash(scope)


def public_signals(
    merkle_root: int, nullifier: int, choice: int, revision: int, scope: int, district: int = 0
) -> list[int]:
    """The circuit's public signals `[merkleRoot, nullifier, H(message), H(electionScope)]`.

    `scope` is the raw election scope (`Election.scope()`), hashed here as the contract does.
    """
    return [
        require_field_element(merkle_root, "merkle root"),
        require_field_element(nullifier, "nullifier"),
        message_signal(choice, revision, district),
        scope_signal(scope),
    ]


def encrypted_public_signals(
    merkle_root: int,
    nullifier: int,
    ciphertext: Sequence[int],
    revision: int,
    scope: int,
    district: int,
    options: int,
) -> list[int]:
    """The encrypted ballot circuit's 39 public signals `[merkleRoot, nullifier, R.x, R.y, C_0.x,
    C_0.y, ..., C_15.y, H(message), H(electionScope), options]`: the ciphertext's 34
    coordinates (`veche.crypto.elgamal.public_signals`), the message with choice field 0 (the
    choice is inside the ciphertext), and the district's number of options, which the contract
    and the recount take from the definition, never from the voter."""
    return [
        require_field_element(merkle_root, "merkle root"),
        require_field_element(nullifier, "nullifier"),
        *ciphertext,
        message_signal(0, revision, district),
        scope_signal(scope),
        options,
    ]
