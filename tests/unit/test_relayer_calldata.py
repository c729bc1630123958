"""The relayer encodes its contract calls by hand (eth_abi costs about 0.1 ms a ballot): the
bytes must be exactly the ABI encoding of the contract's functions."""

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector

from veche.chain.artifacts import load_artifact
from veche.relayer.store import Status, Submission
from veche.relayer.worker import (
    BatchedBallots,
    abi_calldata,
    cast_ballot_calldata,
    cast_ballots_calldata,
)


def _ballot(n: int) -> Submission:
    return Submission(
        id=n,
        election="0x" + "ab" * 20,
        nullifier=2**254 + n,
        district=n % 3,
        choice=7 + n,
        revision=1 + n,
        merkle_root=2**250 + 3 * n,
        proof=tuple(2**253 + 11 * n + i for i in range(8)),
        status=Status.QUEUED,
    )


def _abi_signature(name: str) -> str:
    """The contract's own signature of `name`, read from its compiled ABI."""

    def kind(entry: dict) -> str:
        if entry["type"].startswith("tuple"):
            inner = ",".join(kind(c) for c in entry["components"])
            return f"({inner}){entry['type'][len('tuple') :]}"
        return str(entry["type"])

    (function,) = [
        e
        for e in load_artifact("Election").abi
        if e.get("type") == "function" and e["name"] == name
    ]
    return f"{name}({','.join(kind(i) for i in function['inputs'])})"


def test_cast_ballot_is_the_abi_encoding_of_the_contracts_function() -> None:
    ballot = _ballot(5)
    signature = _abi_signature("castBallot")
    expected = function_signature_to_4byte_selector(signature) + encode(
        ["uint32", "uint256", "uint256", "uint32", "uint32", "uint256[8]"],
        [
            ballot.district,
            ballot.merkle_root,
            ballot.nullifier,
            ballot.choice,
            ballot.revision,
            list(ballot.proof),
        ],
    )
    assert cast_ballot_calldata(ballot) == expected
    assert (
        abi_calldata(
            signature,
            ["uint32", "uint256", "uint256", "uint32", "uint32", "uint256[8]"],
            [
                5 % 3,
                ballot.merkle_root,
                ballot.nullifier,
                ballot.choice,
                ballot.revision,
                ballot.proof,
            ],
        )
        == expected
    )


def test_cast_ballots_is_the_abi_encoding_of_the_contracts_function() -> None:
    ballots = [_ballot(n) for n in range(5)]
    signature = _abi_signature("castBallots")
    assert signature == "castBallots((uint32,uint32,uint32,uint256,uint256,uint256[8])[])"
    expected = function_signature_to_4byte_selector(signature) + encode(
        ["(uint32,uint32,uint32,uint256,uint256,uint256[8])[]"],
        [
            [
                (b.district, b.choice, b.revision, b.merkle_root, b.nullifier, b.proof)
                for b in ballots
            ]
        ],
    )
    assert cast_ballots_calldata(ballots) == expected
    calls = BatchedBallots(ballot_gas=300_000, batch_ballot_gas=100_000, max_ballots=64)
    assert calls.calldata(ballots) == expected
    assert calls.calldata(ballots[:1]) == cast_ballot_calldata(ballots[0])  # alone: castBallot
