"""Is a contract a genuine Veche election, all the way down?

`ElectionContract` already refuses an address whose runtime code is not this build's Election.
That is not enough for anyone who spends on an election (a relayer pays gas for every ballot):
the Election's immutables include its verifier's address, and its code calls the PoseidonT3
library at an address linked at deployment. Anyone can deploy the genuine Election code with a
verifier that burns gas, accepts anything, or answers differently on chain and in simulation.
So the verifier and the library must hold this build's code as well.
"""

from functools import cache

from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address

from veche.ceremony.pin import key_sha256
from veche.chain.artifacts import load_artifact
from veche.chain.election import ElectionContract
from veche.errors import NotAnElection
from veche.keys import ENCRYPTED_DEV_ZK_DIR, encrypted_zk_dir
from veche.protocol import BallotSecrecy
from veche.protocol.spec import ZK_VERIFICATION_KEY

_LIBRARY_SELF_ADDRESS = slice(1, 21)
"""A Solidity library's runtime code starts with `PUSH20 <its own address>` (call protection),
which deployment fills in: those bytes are not compared."""


def _library_address(contract: ElectionContract, code: bytes, name: str) -> ChecksumAddress:
    for by_name in contract.artifact.deployed_link_references.values():
        for place in by_name.get(name, []):
            start = place["start"]
            return to_checksum_address(code[start : start + place["length"]])
    raise NotAnElection(f"this build's Election does not link {name}")


@cache
def encrypted_verifier_code() -> bytes:
    """The runtime code of the encrypted ballot circuit's verifier this side uses
    (`veche.keys.encrypted_zk_dir`): the committed one for the development election key, else
    compiled from the key folder's verification key."""
    key = encrypted_zk_dir() / ZK_VERIFICATION_KEY
    if key_sha256(key) == key_sha256(ENCRYPTED_DEV_ZK_DIR / ZK_VERIFICATION_KEY):
        return bytes.fromhex(load_artifact("EncryptedBallotVerifier").deployed_bytecode[2:])
    from veche.chain.verifier import compile_verifier

    return bytes.fromhex(compile_verifier(key)["evm"]["deployedBytecode"]["object"])


def require_genuine_election(contract: ElectionContract) -> None:
    """Raises `NotAnElection` unless the Election's code, its verifier's code and its PoseidonT3
    library's code are all this build's (the Election's own code is checked by its handle). An
    encrypted election's verifier must be the one of the encrypted ballot circuit used here."""
    w3 = contract.w3
    verifier = contract.verifier()
    if contract.ballot_secrecy() is BallotSecrecy.ENCRYPTED:
        expected_verifier, kind = encrypted_verifier_code(), "encrypted ballot"
    else:
        expected_verifier = bytes.fromhex(load_artifact("Groth16Verifier").deployed_bytecode[2:])
        kind = "Groth16"
    if bytes(w3.eth.get_code(verifier)) != expected_verifier:
        raise NotAnElection(
            f"{contract.address} is an Election whose verifier {verifier} is not the Veche "
            f"{kind} verifier of this build"
        )
    election_code = bytes(w3.eth.get_code(contract.address))
    library = _library_address(contract, election_code, "PoseidonT3")
    expected_library = bytes.fromhex(load_artifact("PoseidonT3").deployed_bytecode[2:])
    library_code = bytes(w3.eth.get_code(library))
    if len(library_code) != len(expected_library) or any(
        library_code[i] != expected_library[i]
        for i in range(len(expected_library))
        if not _LIBRARY_SELF_ADDRESS.start <= i < _LIBRARY_SELF_ADDRESS.stop
    ):
        raise NotAnElection(
            f"{contract.address} is an Election linked to a PoseidonT3 at {library} that is not "
            "this build's"
        )
