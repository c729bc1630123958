"""Every reason the reference model can refuse a ballot has an HTTP answer in the relayer."""

import pytest

from veche.model import Rejection
from veche.relayer.errors import refusal_for


@pytest.mark.parametrize("rejection", list(Rejection))
def test_every_rejection_has_a_status_and_a_reason(rejection: Rejection) -> None:
    refusal = refusal_for(rejection)
    assert 400 <= refusal.status < 500 and refusal.code == rejection.value and refusal.detail
