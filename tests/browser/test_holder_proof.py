"""The voter signs the registrar's challenge on the page; the registrar's tool (Python) accepts
the signature for the voter's commitment, and nothing else."""

import subprocess

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import ROOT
from tests.browser.pages import VoterPage
from veche.registrar.challenge import HolderProof, new_challenge, verify_holder
from veche.registrar.errors import InvalidHolderProof


@pytest.fixture(scope="module")
def site(registration_site: str) -> str:
    return registration_site


def test_a_challenge_signed_on_the_page_proves_the_commitment_to_the_registrar(
    new_context: NewContext, site: str
) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    commitment = int(voter.create_identity())
    challenge = new_challenge()
    voter.sign_challenge(str(challenge))
    shown = voter.holder_proof()

    from_text = HolderProof.from_text(shown["text"])
    assert from_text.challenge == challenge
    assert from_text.commitment == commitment
    verify_holder(from_text, commitment)

    other = VoterPage(new_context().new_page(), site).open()
    with pytest.raises(InvalidHolderProof):
        verify_holder(from_text, int(other.create_identity()))


def test_the_qr_code_holds_the_answer_code(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.create_identity()
    voter.sign_challenge(str(new_challenge()))
    shown = voter.holder_proof()
    expected = subprocess.run(
        [
            "node",
            "-e",
            "require('qrcode').toString(process.argv[1], {type: 'svg', "
            "errorCorrectionLevel: 'M', margin: 2}).then(s => process.stdout.write(s))",
            shown["text"],
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    modules = [part.split('"')[0] for part in expected.split('d="')[1:]]
    assert modules and all(module in shown["qr"] for module in modules)


@pytest.mark.parametrize("typed", ["abc", "0", "12 34x"])
def test_something_that_is_not_a_challenge_is_refused(
    new_context: NewContext, site: str, typed: str
) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.create_identity()
    voter.sign_challenge(typed)
    error = voter.page.locator("#challenge-error")
    expect(error).to_have_attribute("data-error", "error.badChallenge")
    assert not voter.page.locator("#holder-proof-box").is_visible()
