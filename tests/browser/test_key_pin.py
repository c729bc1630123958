"""The voter's page proves only with the verification key the election's definition pins: a
host that serves another key (with a SHA256SUMS that lists it, as a hostile host would) gets a
page that refuses to open, in words, before any ballot is shown."""

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.conftest import NewContext
from tests.browser.harness import DEMO_DEFINITION, HOUR, World, static_server, write_site
from tests.browser.pages import VoterPage
from veche.ceremony.pin import DEV_VERIFICATION_KEY, development_key_sha256
from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import grants_everywhere
from veche.definition import load
from veche.model.calendar import Calendar
from veche.protocol.spec import ZK_VERIFICATION_KEY


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    """The demo election, its definition pinning the (development) key the page is built with."""
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account = dev_accounts(3)
        definition = dataclasses.replace(
            load(DEMO_DEFINITION), verification_key_sha256=development_key_sha256()
        )
        now = latest_timestamp(w3)
        calendar = Calendar(now, now + HOUR, now + 2 * HOUR, now + 3 * HOUR, now + 4 * HOUR)
        election = deploy_from_definition(
            w3,
            organizer,
            definition,
            calendar_override=calendar,
            registrars=grants_everywhere(registrar.address, len(definition.districts), 10),
        )
        yield World(
            anvil, w3, definition, election, calendar, organizer, registrar, relayer_account
        )


def serve_another_key(folder: Path) -> str:
    """Replaces the site's verification key by another one (one constant changed) and lists it
    in SHA256SUMS; returns its sha256."""
    key = json.loads(DEV_VERIFICATION_KEY.read_text())
    key["vk_alpha_1"][0] = str(int(key["vk_alpha_1"][0]) + 1)
    forged = json.dumps(key).encode()
    (folder / ZK_VERIFICATION_KEY).write_bytes(forged)
    digest = hashlib.sha256(forged).hexdigest()
    sums = folder / "SHA256SUMS"
    lines = [
        f"{digest}  {ZK_VERIFICATION_KEY}" if line.endswith(f"  {ZK_VERIFICATION_KEY}") else line
        for line in sums.read_text().splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n")
    return digest


def test_a_page_serving_another_key_than_the_pinned_one_refuses_to_open(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [])
    forged = serve_another_key(folder)
    with static_server(folder) as url:
        voter = VoterPage(new_context().new_page(), url).open_expecting_failure()
        assert voter.fatal_error() == "error.keyNotPinned"
        banner = voter.page.locator("#banner").inner_text()
        assert "DANGER" in banner
        assert forged in banner and development_key_sha256() in banner
        assert not voter.page.locator("#vote").is_visible()


def test_the_pinned_key_opens_the_page(
    pages: Path, world: World, tmp_path: Path, new_context: NewContext
) -> None:
    folder = write_site(pages, tmp_path / "site", world, [])
    with static_server(folder) as url:
        voter = VoterPage(new_context().new_page(), url).open()
        assert voter.page.locator("#election-title").inner_text() == world.definition.title
