# ruff: noqa: RUF001 (the Russian warning, on purpose)
"""The holder's warning after a key recovery: once two registrars have approved a new key in
place of a registered one (`replaceMember`, `MemberReplaced`), the page of whoever still holds
the old key tells them it can no longer vote, and what to do if they did not ask for it; the
holders of other keys see nothing."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from eth_account import Account
from playwright.sync_api import expect

from tests.browser.conftest import NewContext
from tests.browser.harness import World, demo_world, static_server, write_site
from tests.browser.pages import ObserverPage, VoterPage
from tests.browser.test_observer_charts import write_summary
from tests.person_tags import stand_in_tags
from veche.chain.client import dev_accounts
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT

NORTH = 0


@pytest.fixture
def world() -> Iterator[World]:
    """The demo election during registration, a second registrar authorised in North."""
    with demo_world() as running:
        running.election.authorize_registrar(
            running.organizer, dev_accounts(4)[3].address, {NORTH: 10}
        )
        yield running


def register_three(world: World) -> tuple[list[Identity], list[int]]:
    """Three voters registered in North, in one batch: their identities and commitments."""
    voters = [Identity.generate() for _ in range(3)]
    commitments = [v.commitment for v in voters]
    world.register("north", commitments)
    return voters, commitments


def replace(world: World, commitments: list[int], old: int, new: int) -> None:
    """Replaces `old` by `new` with the approvals of the two registrars, as recovery does."""
    tags = stand_in_tags(commitments)
    tag = tags[commitments.index(old)]
    person = world.election.person(tag)
    digest = world.election.replacement_digest(tag, old, new, person.replacements)
    signers = sorted([world.registrar, dev_accounts(4)[3]], key=lambda a: int(a.address, 16))
    approvals = [bytes(Account.unsafe_sign_hash(digest, a.key).signature) for a in signers]
    siblings = LeanIMT(commitments).proof_of(old).siblings
    world.election.replace_member(world.registrar, tag, old, new, siblings, approvals)


def test_the_holder_of_a_replaced_key_is_warned_and_nobody_else(
    world: World, pages: Path, tmp_path: Path, new_context: NewContext
) -> None:
    voters, commitments = register_three(world)
    folder = write_site(pages, tmp_path / "site", world, [])
    with static_server(folder) as url:
        holder = VoterPage(new_context().new_page(), url).open()
        holder.restore_from_text(voters[0].export())
        neighbour = VoterPage(new_context().new_page(), url).open()
        neighbour.restore_from_text(voters[1].export())
        warning = holder.page.locator("#replaced-warning")
        holder.page.wait_for_timeout(2_000)  # two polls: nothing to warn about yet
        expect(warning).to_be_hidden()

        lost_and_found = Identity.generate()
        replace(world, commitments, voters[0].commitment, lost_and_found.commitment)

        expect(warning).to_be_visible(timeout=15_000)
        expect(warning).to_have_attribute("role", "alert")
        expect(warning).to_contain_text("This voter key can no longer vote.")
        expect(warning).to_contain_text("in North")
        expect(warning).to_contain_text("with the approval of 2 registrars")
        expect(warning).to_contain_text("tell the election's organizer and observers today")
        expect(warning).to_have_attribute("data-replaced", str(lost_and_found.commitment))
        neighbour.page.wait_for_timeout(2_000)
        expect(neighbour.page.locator("#replaced-warning")).to_be_hidden()

        # Observers see each registrar's public count of approved replacements.
        observer = ObserverPage(new_context().new_page(), url).open()
        for account in (world.registrar, dev_accounts(4)[3]):
            row = observer.page.locator(f"tr[data-registrar='{account.address.lower()}']")
            expect(row.locator("td[data-column=replacements]")).to_have_text("1")

        # The new key's holder is not warned either: their key is the one in the register now.
        restored = VoterPage(new_context().new_page(), url).open()
        restored.restore_from_text(lost_and_found.export())
        restored.page.wait_for_timeout(2_000)
        expect(restored.page.locator("#replaced-warning")).to_be_hidden()


def test_the_warning_is_in_russian_too(
    world: World, pages: Path, tmp_path: Path, new_context: NewContext
) -> None:
    voters, commitments = register_three(world)
    replace(world, commitments, voters[2].commitment, Identity.generate().commitment)
    folder = write_site(pages, tmp_path / "site", world, [])
    with static_server(folder) as url:
        holder = VoterPage(new_context(locale="ru-RU").new_page(), url).open()
        holder.restore_from_text(voters[2].export())
        warning = holder.page.locator("#replaced-warning")
        expect(warning).to_contain_text("Этим ключом избирателя больше нельзя голосовать.")
        expect(warning).to_contain_text("с согласия регистраторов: 2")


def test_a_summary_made_after_a_replacement_is_confirmed_and_counts_the_approvals(
    world: World, pages: Path, tmp_path: Path, new_context: NewContext
) -> None:
    """A replacement changes a register's root without a registration: the summary takes the
    root the contract holds, and each registrar's count of approved replacements."""
    voters, commitments = register_three(world)
    replace(world, commitments, voters[1].commitment, Identity.generate().commitment)
    folder = write_site(pages, tmp_path / "site", world, [], summary="summary.json")
    summary = write_summary(world, folder)
    assert [r["replacementsApproved"] for r in summary["registrars"]] == [1, 1]
    with static_server(folder) as url:
        observer = ObserverPage(new_context().new_page(), url).open()
        page = observer.page
        expect(page.locator("#summary-status")).to_have_attribute("data-summary", "checked")
        observer.expect_district(NORTH, "registered", "3")
        for account in (world.registrar, dev_accounts(4)[3]):
            row = page.locator(f"tr[data-registrar='{account.address.lower()}']")
            expect(row.locator("td[data-column=replacements]")).to_have_text("1")
