"""The integration world (a real anvil, a deployed election, registered voters, voting open) and
a real relayer process, reused from tests/integration."""

from tests.integration.conftest import prover, relayer, world  # noqa: F401
