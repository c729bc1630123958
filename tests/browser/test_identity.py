"""The voter's key in the browser: made on the device, shown as a commitment (text and QR) for
the registrar, backed up, restored on another device, and stored only with the voter's consent."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import NewContext
from tests.browser.harness import ROOT
from tests.browser.pages import VoterPage
from veche.crypto.identity import Identity


@pytest.fixture(scope="module")
def site(registration_site: str) -> str:
    return registration_site


def test_new_key_shows_the_commitment_of_its_backup(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    commitment = voter.create_identity()
    backup = voter.backup_text()
    assert Identity.import_(backup).commitment == int(commitment)


def test_qr_code_holds_the_commitment(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    commitment = voter.create_identity()
    expected = subprocess.run(
        [
            "node",
            "-e",
            "require('qrcode').toString(process.argv[1], {type: 'svg', "
            "errorCorrectionLevel: 'M', margin: 2}).then(s => process.stdout.write(s))",
            commitment,
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = 'd="'
    assert voter.qr_svg().count(path) == expected.count(path) == 2
    modules = [part.split('"')[0] for part in expected.split(path)[1:]]
    for module_path in modules:
        assert module_path in voter.qr_svg()


def test_backup_file_restores_the_key_on_another_device(
    new_context: NewContext, site: str, tmp_path: Path
) -> None:
    first = VoterPage(new_context().new_page(), site).open()
    commitment = first.create_identity()
    saved = first.download_backup(tmp_path)

    second = VoterPage(new_context().new_page(), site).open()
    assert not second.has_identity()
    second.restore_from_file(saved)
    assert second.commitment() == commitment


def test_written_down_backup_restores_the_key(new_context: NewContext, site: str) -> None:
    first = VoterPage(new_context().new_page(), site).open()
    commitment = first.create_identity()
    backup = first.backup_text()

    second = VoterPage(new_context().new_page(), site).open()
    second.restore_from_text(f"  {backup}\n")
    assert second.commitment() == commitment


def test_text_that_is_not_a_backup_is_refused(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.restore_from_text("my secret password")
    error = voter.page.locator("#identity-error")
    assert error.get_attribute("data-error") == "error.badBackup"
    assert "not a Veche key backup" in error.inner_text()
    assert not voter.has_identity()


def test_key_is_not_kept_in_the_browser_without_consent(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.create_identity()
    stored = voter.page.evaluate("JSON.stringify(Object.assign({}, localStorage))")
    assert json.loads(stored) == {}
    voter.open()
    assert not voter.has_identity()


def test_key_is_kept_across_visits_when_the_voter_agrees(
    new_context: NewContext, site: str
) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.keep_key_in_browser()
    commitment = voter.create_identity()
    voter.open()
    assert voter.commitment() == commitment


def test_forgetting_the_key_removes_it_from_the_browser(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.keep_key_in_browser()
    voter.create_identity()
    voter.page.locator("#forget-identity").click()
    voter.page.locator("#forget-yes").click()
    assert not voter.has_identity()
    voter.open()
    assert not voter.has_identity()
    assert voter.page.evaluate("localStorage.length") == 0
