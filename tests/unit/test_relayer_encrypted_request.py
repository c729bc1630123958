"""The relayer's body for an encrypted ballot: no choice, the encrypted circuit's 39 signals; a
body mixing the two kinds is refused before anything else is looked at."""

import pytest
from pydantic import ValidationError

from veche.relayer.schemas import BallotRequest

BASE = {
    "election": "0x" + "ab" * 20,
    "district": 1,
    "revision": 2,
    "proof": ["1"] * 8,
}


def test_an_encrypted_ballot_has_no_choice_and_39_signals() -> None:
    request = BallotRequest.model_validate({**BASE, "publicSignals": ["7"] * 39})
    assert request.encrypted and request.choice is None


def test_a_plain_ballot_keeps_its_choice_and_4_signals() -> None:
    request = BallotRequest.model_validate({**BASE, "choice": 3, "publicSignals": ["7"] * 4})
    assert not request.encrypted and request.choice == 3


@pytest.mark.parametrize(
    "body",
    [
        {**BASE, "choice": 0, "publicSignals": ["7"] * 39},  # a choice beside a ciphertext
        {**BASE, "publicSignals": ["7"] * 4},  # no choice, no ciphertext
        {**BASE, "publicSignals": ["7"] * 38},
        {**BASE, "publicSignals": ["7"] * 40},
    ],
)
def test_a_body_mixing_the_kinds_is_refused(body: dict) -> None:
    with pytest.raises(ValidationError):
        BallotRequest.model_validate(body)
