"""Is a contract a genuine Veche election, all the way down?

`ElectionContract` already refuses an address whose runtime code is not this build's Election.
That is not enough for anyone who spends on an election (a relayer pays gas for every ballot):
the Election's immutables include its verifier's address, and its code calls the PoseidonT3
library at an address linked at deployment. Anyone can deploy the genuine Election code with a
verifier that burns gas, accepts anything, or answers differently on chain and in simulation.
So the verifier and the library must hold this build's code as well.
"""

from eth_typing import ChecksumAddress
from eth_utils import to_checksum_address

from veche.chain.artifacts import load_artifact
from veche.chain.election import ElectionContract
from veche.errors import NotAnElection

_LIBRARY_SELF_ADDRESS = slice(1, 21)
"""A Solidity library's runtime code starts with `PUSH20 <its own address>` (call protection),
which deployment fills in: those bytes are not compared."""


def _library_address(contract: ElectionContract, code: bytes, name: str) -> ChecksumAddress:
    for by_name in contract.artifact.deployed_link_references.values():
        for place in by_name.get(name, []):
            start = place["start"]
            return to_checksum_address(code[start : start + place["length"]])
    raise NotAnElection(f"this build's Election does not link {name}")


def require_genuine_election(contract: ElectionContract) -> None:
    """Raises `NotAnElection` unless the Election's code, its verifier's code and its PoseidonT3
    library's code are all this build's (the Election's own code is checked by its handle)."""
    w3 = contract.w3
    verifier = contract.verifier()
    expected_verifier = bytes.fromhex(load_artifact("Groth16Verifier").deployed_bytecode[2:])
    if bytes(w3.eth.get_code(verifier)) != expected_verifier:
        raise NotAnElection(
            f"{contract.address} is an Election whose verifier {verifier} is not the Veche "
            "Groth16 verifier of this build"
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
