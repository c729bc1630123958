"""A deploy journal: running a deployment twice deploys once, and a killed one resumes.

The journal is a JSON file, one entry per contract (the verifier, PoseidonT3, the Election),
written atomically before each transaction is broadcast (its signed bytes) and after it is
confirmed (the address). Running the deploy again:

- a contract whose address is recorded is not deployed again (its code is checked to be there);
- a contract whose transaction was signed but not confirmed is followed: the same bytes are
  broadcast again (the chain has them already, or mines them once), so a process killed
  between broadcasting and confirming never deploys a second copy;
- only a transaction whose nonce was taken by another one (never mined) is signed afresh.

The journal is bound to one chain, one deployer and one definition hash, and each entry to the
exact constructor input: a journal for another election, or a deploy with other arguments
(other registrars, another key), is refused rather than silently mixed.
"""

import json
import os
from pathlib import Path
from typing import Any, cast

from eth_account.signers.local import LocalAccount
from eth_typing import ChecksumAddress
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractConstructor
from web3.types import TxReceipt

from veche.chain.client import _revert_data_from_trace, decode_revert, send
from veche.chain.transactions import NonceTaken, Signed, create_address, current_policy, follow
from veche.errors import ChainError, VecheError

FORMAT = "veche-deploy-journal/v1"


class JournalError(VecheError):
    """A deploy journal is unreadable, or belongs to another deployment."""


class DeployJournal:
    """The journal at `path` for `deployer` deploying the definition `definition_hash` on
    chain `chain_id` (a new, empty one if there is no file yet)."""

    def __init__(self, path: Path, *, chain_id: int, deployer: str, definition_hash: bytes) -> None:
        self.path = Path(path)
        self.identity = {
            "chainId": chain_id,
            "deployer": to_checksum_address(deployer),
            "definitionHash": "0x" + bytes(definition_hash).hex(),
        }
        self.steps: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
        except OSError as error:
            raise JournalError(f"cannot read the deploy journal {self.path}: {error}") from None
        except ValueError:
            raise JournalError(f"{self.path} is not a deploy journal (not JSON)") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise JournalError(f"{self.path} is not a Veche deploy journal")
        theirs = {key: data.get(key) for key in self.identity}
        if theirs != self.identity:
            raise JournalError(
                f"the deploy journal {self.path} is for definition {theirs['definitionHash']} "
                f"by {theirs['deployer']} on chain {theirs['chainId']}, not definition "
                f"{self.identity['definitionHash']} by {self.identity['deployer']} on chain "
                f"{self.identity['chainId']}: give another --journal for another deployment"
            )
        self.steps = dict(data.get("steps", {}))

    def save(self) -> None:
        """Writes the journal so that a crash leaves the old file or the new one."""
        data = {"format": FORMAT, **self.identity, "steps": self.steps}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "w") as handle:
                handle.write(json.dumps(data, indent=2) + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            temporary.replace(self.path)
        except OSError as error:
            raise JournalError(
                f"cannot write the deploy journal {self.path}: {error.strerror or error}; "
                "give --journal a writable file"
            ) from None

    def address_of(self, name: str) -> ChecksumAddress | None:
        """Where `name` is deployed, if the journal says it is."""
        address = self.steps.get(name, {}).get("address")
        return None if address is None else to_checksum_address(address)

    def deploy(
        self, w3: Web3, deployer: LocalAccount, name: str, constructor: ContractConstructor
    ) -> ChecksumAddress:
        """Deploys `constructor` as the journal's `name`, unless it is deployed already or on
        its way (then follows it); returns the contract's address."""
        policy = current_policy()
        data = constructor.data_in_transaction
        digest = "0x" + keccak(HexBytes(data)).hex()
        step = self.steps.get(name)
        if step is not None and step.get("input") != digest:
            raise JournalError(
                f"the deploy journal {self.path} has {name} with another constructor input "
                f"({step.get('input')}, now {digest}): the deployment's settings changed; give "
                "another --journal to deploy anew"
            )
        if step is not None and step.get("address"):
            address = to_checksum_address(step["address"])
            if not bytes(w3.eth.get_code(address)):
                raise JournalError(
                    f"the deploy journal {self.path} says {name} is at {address}, but there is "
                    f"no code there on chain {self.identity['chainId']} (a reset chain?)"
                )
            policy.say(f"{name}: deployed already at {address} (journal {self.path})")
            return address

        receipt: TxReceipt | None = None
        if step is not None and step.get("signed"):
            signed = Signed.from_json(step["signed"])
            policy.say(f"{name}: following {signed.hashes[-1].to_0x_hex()} from the journal")
            try:
                receipt = follow(
                    w3, deployer, signed, policy=policy, record=self._recorder(name, digest),
                    resumed=True,
                )  # fmt: skip
            except NonceTaken:
                ours = create_address(deployer.address, signed.nonce)
                if bytes(w3.eth.get_code(ours)):  # only our transaction creates code there
                    raise JournalError(
                        f"{name} has code at {ours}, the address of the journal's nonce "
                        f"{signed.nonce}, but the node serves no receipt for it: try again "
                        "later or with another node"
                    ) from None
                policy.say(f"{name}: its nonce was used by another transaction; deploying anew")
            if receipt is not None and receipt["status"] != 1:
                tx_hash = HexBytes(receipt["transactionHash"])
                self.steps.pop(name)
                self.save()
                abi = cast(list[dict[str, Any]], constructor.abi)
                raise decode_revert(abi, _revert_data_from_trace(w3, tx_hash), tx_hash=tx_hash)
        if receipt is None:
            self.steps[name] = {"input": digest}
            self.save()
            policy.say(f"{name}: deploying")
            receipt = send(w3, deployer, constructor, record=self._recorder(name, digest))
        created = receipt["contractAddress"]
        if created is None:
            raise ChainError(f"deploying {name} returned no contract address")
        self.steps[name].update(
            address=to_checksum_address(created),
            block=int(receipt["blockNumber"]),
            transaction=HexBytes(receipt["transactionHash"]).to_0x_hex(),
            gasUsed=int(receipt["gasUsed"]),
            effectiveGasPrice=int(receipt.get("effectiveGasPrice", 0)),
        )
        self.save()
        policy.say(f"{name}: deployed at {created} in block {receipt['blockNumber']}")
        return to_checksum_address(created)

    def _recorder(self, name: str, digest: str) -> Any:
        def record(signed: Signed) -> None:
            self.steps[name] = {"input": digest, "signed": signed.to_json()}
            self.save()

        return record
