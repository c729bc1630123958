"""Page objects: what a voter or an observer does and sees, in the words of the requirement, so
that the tests read as scenarios rather than as selectors."""

import re
from pathlib import Path

from playwright.sync_api import Page, expect

INCLUDED_TIMEOUT_MS = 90_000
"""Proving (a few seconds) plus relayer queue plus one anvil block, with room for a slow host."""


class VoterPage:
    """The voter page (index.html) of one site, on one device."""

    def __init__(self, page: Page, site_url: str) -> None:
        self.page = page
        self.site_url = site_url

    def open(self) -> "VoterPage":
        self.page.goto(f"{self.site_url}/index.html")
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true")
        return self

    def open_expecting_failure(self) -> "VoterPage":
        self.page.goto(f"{self.site_url}/index.html")
        expect(self.page.locator("body")).to_have_attribute("data-ready", "failed")
        return self

    # Identity ---------------------------------------------------------------------------------

    def keep_key_in_browser(self) -> None:
        self.page.locator("#keep-identity").check()

    def create_identity(self) -> str:
        self.page.locator("#create-identity").click()
        return self.commitment()

    def commitment(self) -> str:
        code = self.page.locator("#commitment")
        expect(code).to_have_text(re.compile(r"^\d+$"))
        return code.inner_text()

    def has_identity(self) -> bool:
        return self.page.locator("#identity-present").is_visible()

    def backup_text(self) -> str:
        self.page.locator("#toggle-backup").click()
        return self.page.locator("#backup-key").input_value()

    def download_backup(self, folder: Path) -> Path:
        with self.page.expect_download() as download:
            self.page.locator("#download-backup").click()
        target = folder / download.value.suggested_filename
        download.value.save_as(target)
        return target

    def restore_from_text(self, backup: str) -> None:
        self.page.locator("#restore-text").fill(backup)
        self.page.locator("#restore-form button[type=submit]").click()

    def restore_from_file(self, path: Path) -> None:
        self.page.locator("#restore-file").set_input_files(path)
        self.page.locator("#restore-form button[type=submit]").click()

    def qr_svg(self) -> str:
        return self.page.locator("#qr").inner_html()

    def sign_challenge(self, challenge: str) -> None:
        """Types the registrar's number (the fallback when there is no camera) and answers."""
        self.page.locator("#challenge-typed summary").click()
        self.page.locator("#challenge-text").fill(challenge)
        self.page.locator("#challenge-form button[type=submit]").click()

    def holder_proof(self) -> dict[str, str]:
        """The answer the page shows the registrar: its code (as text) and its QR code."""
        expect(self.page.locator("#holder-qr")).to_have_attribute(
            "data-code", re.compile(r"^VECHE:H1:\d+$")
        )
        return {
            "text": self.page.locator("#holder-qr").get_attribute("data-code") or "",
            "qr": self.page.locator("#holder-qr").inner_html(),
        }

    # Voting -----------------------------------------------------------------------------------

    def open_ballot(self) -> None:
        self.page.locator("#prepare-ballot").click()
        expect(self.page.locator("#ballot-form")).to_be_visible()

    def district_line(self) -> str:
        return self.page.locator("#ballot-district").inner_text()

    def list_names(self) -> list[str]:
        return self.page.locator("#choices label").all_inner_texts()

    def vote_for(self, list_name: str) -> None:
        self.page.get_by_label(list_name, exact=True).check()
        self.page.locator("#cast-ballot").click()

    def record_stages(self) -> None:
        """Starts noting every stage the vote's progress bar shows, in order."""
        self.page.evaluate(
            """() => {
                window.__stages = []
                const bar = document.getElementById("vote-progress-bar")
                const note = () => {
                    const stage = bar.dataset.stage
                    if (stage && window.__stages.at(-1) !== stage) window.__stages.push(stage)
                }
                new MutationObserver(note).observe(bar, { attributes: true })
            }"""
        )

    def stages(self) -> list[str]:
        """The stages the progress bar went through since `record_stages`."""
        return list(self.page.evaluate("window.__stages"))

    def wait_until_included(self, revision: int) -> dict[str, str]:
        """Waits for the receipt of ballot `revision` to reach the chain; returns its fields."""
        fields = self.page.locator("#receipt-fields")
        expect(fields.locator("dd[data-field=revision]")).to_have_text(
            str(revision), timeout=INCLUDED_TIMEOUT_MS
        )
        expect(fields).to_have_attribute("data-status", "included", timeout=INCLUDED_TIMEOUT_MS)
        return self.receipt()

    def receipt(self) -> dict[str, str]:
        return _fields(self.page, "#receipt-fields")

    def vote_error(self) -> str:
        """The code of the failure the vote section shows (waits for one)."""
        box = self.page.locator("#vote-error")
        expect(box).to_be_visible(timeout=INCLUDED_TIMEOUT_MS)
        return box.get_attribute("data-error") or ""

    def vote_error_text(self) -> str:
        return self.page.locator("#vote-error").inner_text()

    # Checking ---------------------------------------------------------------------------------

    def check_ballot(self, nullifier: str | None = None) -> dict[str, str]:
        if nullifier is not None:
            self.page.locator("#check-nullifier").fill(nullifier)
        self.page.locator("#check-form button[type=submit]").click()
        expect(self.page.locator("#check-result [data-outcome]")).to_be_visible()
        return _fields(self.page, "#check-result")

    # Language ---------------------------------------------------------------------------------

    def switch_language(self, lang: str) -> None:
        self.page.locator(f"button[data-lang={lang}]").click()
        expect(self.page.locator("html")).to_have_attribute("lang", lang)

    def fatal_error(self) -> str:
        banner = self.page.locator("#banner")
        expect(banner).to_be_visible()
        return banner.locator("[data-error]").get_attribute("data-error") or ""


class ObserverPage:
    """The observers' page (observe.html)."""

    def __init__(self, page: Page, site_url: str) -> None:
        self.page = page
        self.site_url = site_url

    def open(self) -> "ObserverPage":
        self.page.goto(f"{self.site_url}/observe.html")
        expect(self.page.locator("body")).to_have_attribute("data-ready", "true")
        expect(self.page.locator("[data-table=districts]")).to_be_visible()
        return self

    def district_row(self, index: int) -> dict[str, str]:
        row = self.page.locator(f"[data-table=districts] tr[data-district='{index}']")
        return {
            cell.get_attribute("data-column") or "": cell.inner_text()
            for cell in row.locator("td[data-column]").all()
        }

    def expect_district(self, index: int, column: str, value: str) -> None:
        """Waits (the page polls the chain) until a district's figure reads `value`."""
        cell = self.page.locator(
            f"[data-table=districts] tr[data-district='{index}'] td[data-column={column}]"
        )
        expect(cell).to_have_text(value, timeout=20_000)


def _fields(page: Page, container: str) -> dict[str, str]:
    fields = page.locator(f"{container} dd[data-field]")
    return {dd.get_attribute("data-field") or "": dd.inner_text() for dd in fields.all()}
