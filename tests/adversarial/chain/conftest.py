"""The contract tests' fixtures (a fresh three-district election on the session's anvil, rolled
back after each test, real voters and the real prover), reused as they are."""

from tests.contracts.conftest import (  # noqa: F401
    calendar,
    deployer,
    election,
    libraries,
    organizer,
    outsider,
    prover,
    registered_election,
    registrar,
    relayer,
    voters,
    voting_election,
)
