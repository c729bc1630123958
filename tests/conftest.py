"""Fixtures shared by every test layer: a real local chain (anvil) and its dev accounts.

One anvil runs for the whole session; each test that asks for `w3` runs inside an
`evm_snapshot` and is rolled back afterwards, so tests are isolated yet start in milliseconds.
"""

from collections.abc import Iterator

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3

from veche.chain.anvil import Anvil, revert_to, snapshot
from veche.chain.client import connect, dev_accounts


@pytest.fixture(scope="session")
def anvil() -> Iterator[Anvil]:
    """A local anvil chain for the whole test session."""
    with Anvil() as node:
        yield node


@pytest.fixture(scope="session")
def chain(anvil: Anvil) -> Web3:
    """A session-wide connection; changes made through it persist for every later test."""
    return connect(anvil.rpc_url)


@pytest.fixture
def w3(chain: Web3) -> Iterator[Web3]:
    """The chain, rolled back to its state before the test when the test ends."""
    snapshot_id = snapshot(chain)
    yield chain
    revert_to(chain, snapshot_id)


@pytest.fixture(scope="session")
def accounts() -> list[LocalAccount]:
    """anvil's funded development accounts (DEV ONLY: their keys are public)."""
    return dev_accounts(10)
