"""The registrar's desk, both ways by QR code and nothing typed: the voter's phone scans the
desk's code with its camera, the desk scans the voter's answer with its camera. Each page runs
in its own Chromium whose fake camera is fed a screenshot of the other page's QR code."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.camera import show_to_camera
from tests.browser.conftest import Camera
from tests.browser.pages import VoterPage
from veche.desk.qr import read_code, write_code
from veche.registrar.challenge import (
    CHALLENGE_PREFIX,
    HOLDER_PROOF_PREFIX,
    HolderProof,
    challenge_code,
    new_challenge,
    verify_holder,
)

SCAN_TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def site(registration_site: str) -> str:
    return registration_site


def open_desk(page: Page, site: str) -> Page:
    page.goto(f"{site}/desk.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#challenge-qr svg")).to_be_visible()
    return page


def test_a_desk_registration_by_camera_both_ways(
    device_with_camera: Callable[[str], Camera], site: str, tmp_path: Path
) -> None:
    desk, desk_camera = device_with_camera("desk")
    phone, phone_camera = device_with_camera("phone")
    open_desk(desk, site)
    voter = VoterPage(phone, site).open()
    commitment = voter.create_identity()

    # The voter holds the phone up to the desk's screen.
    show_to_camera(desk.locator("#challenge-qr").screenshot(), phone_camera)
    phone.locator("#scan-challenge").click()
    answer_qr = phone.locator("#holder-qr svg")
    expect(answer_qr).to_be_visible(timeout=SCAN_TIMEOUT_MS)
    desk_code = desk.locator("#challenge-qr").get_attribute("data-code") or ""
    assert desk_code.startswith(CHALLENGE_PREFIX)

    # The registrar holds the desk's camera up to the phone.
    screenshot = phone.locator("#holder-qr").screenshot()
    show_to_camera(screenshot, desk_camera)
    desk.locator("#scan-answer").click()
    box = desk.locator("#answer-box")
    expect(box).to_be_visible(timeout=SCAN_TIMEOUT_MS)
    assert box.get_attribute("data-commitment") == commitment

    # What the desk hands to `veche registrar add --holder-proof` checks out in Python too, and
    # the registrar's tool reads the same answer from a photo of the phone.
    line = desk.locator("#answer-command").inner_text()
    code = line.removeprefix("--holder-proof ").strip()
    proof = HolderProof.from_text(code)
    assert f"{CHALLENGE_PREFIX}{proof.challenge}" == desk_code
    verify_holder(proof, int(commitment))
    photo = tmp_path / "phone.png"
    photo.write_bytes(screenshot)
    assert read_code(photo, HOLDER_PROOF_PREFIX, "answer code") == code


def test_the_desk_refuses_an_answer_to_another_desks_code(
    device_with_camera: Callable[[str], Camera], site: str, tmp_path: Path
) -> None:
    """A voter who scanned another desk's code (or replays an old answer) is told so: the
    signature is valid, but not for this desk's challenge."""
    desk, desk_camera = device_with_camera("desk")
    phone, phone_camera = device_with_camera("phone")
    open_desk(desk, site)
    voter = VoterPage(phone, site).open()
    voter.create_identity()
    other_desk = tmp_path / "other-desk.png"
    write_code(challenge_code(new_challenge()), other_desk)
    show_to_camera(other_desk, phone_camera)
    phone.locator("#scan-challenge").click()
    expect(phone.locator("#holder-qr svg")).to_be_visible(timeout=SCAN_TIMEOUT_MS)

    show_to_camera(phone.locator("#holder-qr").screenshot(), desk_camera)
    desk.locator("#scan-answer").click()
    error = desk.locator("#answer-error")
    expect(error).to_have_attribute("data-error", "error.wrongChallenge", timeout=SCAN_TIMEOUT_MS)
    assert not desk.locator("#answer-box").is_visible()


def test_a_command_line_voter_answers_the_desk_from_a_photo_of_its_code(
    device_with_camera: Callable[[str], Camera], site: str, tmp_path: Path
) -> None:
    """`veche voter sign-challenge` reads the desk's code from a photo and writes an answer QR
    code that the desk's camera accepts."""
    import subprocess
    import sys

    from veche.crypto.identity import Identity

    desk, desk_camera = device_with_camera("desk")
    open_desk(desk, site)
    identity = Identity.generate()
    key = tmp_path / "me.key"
    key.write_text(identity.export() + "\n")
    photo = tmp_path / "desk.png"
    photo.write_bytes(desk.locator("#challenge-qr").screenshot())
    answer = tmp_path / "answer.png"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "veche.cli.main",
            "voter",
            "sign-challenge",
            "--identity",
            str(key),
            "--challenge-qr",
            str(photo),
            "--qr",
            str(answer),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip().startswith(HOLDER_PROOF_PREFIX)
    show_to_camera(answer, desk_camera)
    desk.locator("#scan-answer").click()
    box = desk.locator("#answer-box")
    expect(box).to_be_visible(timeout=SCAN_TIMEOUT_MS)
    assert box.get_attribute("data-commitment") == str(identity.commitment)
