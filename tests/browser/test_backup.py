"""The voter key's backup: a printable sheet with a QR code and 24 words in Russian and in
English, restored by camera or by typing the words (either language, four letters a word); a
wrong word is caught; removing a key asks first; a key that exists only in this tab is flagged."""

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.camera import show_to_camera
from tests.browser.conftest import Camera, NewContext
from tests.browser.pages import VoterPage

CYRILLIC = set("абвгдежзийклмнопрстуфхцчшщъыьэюя")


@pytest.fixture(scope="module")
def site(registration_site: str) -> str:
    return registration_site


def print_sheet(voter: VoterPage) -> dict[str, list[str] | str]:
    """Presses "print", then reads the sheet as the printer would see it."""
    voter.page.locator("#print-backup").click()
    voter.page.emulate_media(media="print")
    sheet = voter.page.locator("#backup-sheet")
    expect(sheet).to_be_visible()
    assert not voter.page.locator("main").is_visible()  # only the sheet is printed
    fields = {
        "ru": sheet.locator("#sheet-words-ru li").all_inner_texts(),
        "en": sheet.locator("#sheet-words-en li").all_inner_texts(),
        "commitment": sheet.locator("#sheet-commitment").inner_text(),
        "code": sheet.locator("#sheet-qr").get_attribute("data-code") or "",
    }
    return fields


def test_the_printed_sheet_has_a_qr_code_and_24_words_in_each_language(
    new_context: NewContext, site: str
) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    commitment = voter.create_identity()
    sheet = print_sheet(voter)
    assert sheet["commitment"] == commitment
    assert len(sheet["ru"]) == len(sheet["en"]) == 24
    assert all(set(word) <= CYRILLIC for word in sheet["ru"])
    assert all(word.isascii() and word.isalpha() for word in sheet["en"])
    assert str(sheet["code"]).startswith("VECHE:K1:")
    assert voter.page.locator("#backup-sheet svg").count() == 1


@pytest.mark.parametrize("language", ["ru", "en"])
def test_typed_words_bring_the_key_back_on_another_device(
    new_context: NewContext, site: str, language: str
) -> None:
    first = VoterPage(new_context().new_page(), site).open()
    commitment = first.create_identity()
    words = print_sheet(first)[language]
    # As a person types from paper: numbered, the first four letters, odd spacing and case.
    typed = "  ".join(f"{n}. {w[:4].upper() if n % 2 else w}" for n, w in enumerate(words, 1))

    second = VoterPage(new_context().new_page(), site).open()
    second.restore_from_text(typed)
    assert second.commitment() == commitment
    expect(second.page.locator("#identity-storage")).to_have_attribute(
        "data-state", "tab-backed-up"
    )


def test_a_wrong_or_misplaced_word_is_caught(new_context: NewContext, site: str) -> None:
    first = VoterPage(new_context().new_page(), site).open()
    first.create_identity()
    words = list(print_sheet(first)["en"])

    second = VoterPage(new_context().new_page(), site).open()
    error = second.page.locator("#identity-error")
    second.restore_from_text(" ".join([*words[:5], "zzzz", *words[6:]]))
    expect(error).to_have_attribute("data-error", "error.badWord")
    expect(error).to_contain_text('Word 6 ("zzzz")')
    words[3], words[4] = words[4], words[3]
    if words[3] != words[4]:
        second.restore_from_text(" ".join(words))
        expect(error).to_have_attribute("data-error", "error.badWords")
    second.restore_from_text(" ".join(words[:23]))
    expect(error).to_have_attribute("data-error", "error.wordCount")
    assert not second.has_identity()


def test_the_sheet_qr_code_brings_the_key_back_by_camera(
    new_context: NewContext, device_with_camera: Callable[[str], Camera], site: str
) -> None:
    first = VoterPage(new_context().new_page(), site).open()
    commitment = first.create_identity()
    print_sheet(first)
    sheet_photo = first.page.locator("#sheet-qr").screenshot()

    page, camera = device_with_camera("phone")
    phone = VoterPage(page, site).open()
    show_to_camera(sheet_photo, camera)
    page.locator("#scan-backup").click()
    expect(page.locator("#identity-present")).to_be_visible(timeout=30_000)
    assert phone.commitment() == commitment


def test_removing_a_key_asks_first(new_context: NewContext, site: str) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.keep_key_in_browser()
    commitment = voter.create_identity()
    voter.page.locator("#forget-identity").click()
    expect(voter.page.locator("#forget-confirm")).to_be_visible()
    voter.page.locator("#forget-no").click()
    assert voter.has_identity() and voter.commitment() == commitment
    assert voter.page.evaluate("localStorage.length") == 1
    voter.page.locator("#forget-identity").click()
    voter.page.locator("#forget-yes").click()
    assert not voter.has_identity()
    assert voter.page.evaluate("localStorage.length") == 0


def test_a_key_only_in_this_tab_is_flagged_until_backed_up(
    new_context: NewContext, site: str
) -> None:
    voter = VoterPage(new_context().new_page(), site).open()
    voter.create_identity()
    storage = voter.page.locator("#identity-storage")
    expect(storage).to_have_attribute("data-state", "tab-only")
    expect(storage).to_have_attribute("role", "alert")
    expect(storage).to_contain_text("only in this tab")
    voter.page.locator("#toggle-backup").click()
    expect(voter.page.locator("#backup-words li")).to_have_count(24)
    expect(storage).to_have_attribute("data-state", "tab-backed-up")
    voter.keep_key_in_browser()
    expect(storage).to_have_attribute("data-state", "kept")
