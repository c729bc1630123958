"""Asserting that a contract refused a call with one exact custom error and its values."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from veche.errors import ContractRevert


@contextmanager
def reverts_with(name: str, **values: object) -> Iterator[None]:
    """Expects `ContractRevert` named `name` whose decoded arguments are exactly `values`."""
    with pytest.raises(ContractRevert) as caught:
        yield
    assert (caught.value.name, caught.value.values) == (name, values), str(caught.value)
