"""An encrypted election in a real browser, on a real chain, through a real relayer: the voter's
page seals the ballot (the encrypted circuit, the development election key), the request and
the receipt carry no choice, the chain's ciphertext opens (with the development trustees'
shares, which only a test may combine) to exactly the chosen list, and the observers' page shows
turnout but no count of choices before the result."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Request, expect

from tests.browser import harness
from tests.browser import pages as views
from tests.browser.conftest import NewContext
from veche.crypto import babyjub, elgamal
from veche.dedup.shamir import lagrange_coefficients
from veche.devnet import ServiceProcess
from veche.keys import ENCRYPTED_DEV_ZK_DIR
from veche.protocol.spec import SPEC
from veche.trustees.development import development_trustee_shares

SOUTH = 1  # the demo's second district: Green Harbour (0), Common Cause (1)


@pytest.fixture
def encrypted_definition(tmp_path: Path) -> Path:
    """The demo definition with sealed ballots under the development election key."""
    key = ENCRYPTED_DEV_ZK_DIR / SPEC["encryption"]["developmentElectionKey"]
    path = tmp_path / "encrypted.toml"
    demo = harness.DEMO_DEFINITION.read_text()
    path.write_text(f'ballot_secrecy = "encrypted"\nelection_key = "{key}"\n{demo}')
    return path


def _option_secrets() -> list[int]:
    """The 16 option secrets, from two development trustees' shares (Lagrange at 0)."""
    shares = development_trustee_shares()[:2]
    weights = lagrange_coefficients([share.index for share in shares])
    return [
        sum(weights[share.index] * share.secrets[i] for share in shares) % elgamal.ORDER
        for i in range(elgamal.OPTIONS)
    ]


def _opened(ciphertext: bytes) -> list[int]:
    """Each entry of one ballot as 0 or 1 (C_i - x_i·R is the identity or G)."""
    sealed = elgamal.decode(ciphertext)
    opened = []
    for c, x in zip(sealed.payloads, _option_secrets(), strict=True):
        shared = babyjub.mul(sealed.ephemeral, x)
        for m in (0, 1):
            if c == babyjub.add(babyjub.mul(elgamal.GENERATOR, m), shared):
                opened.append(m)
                break
        else:
            raise AssertionError("an entry of the ballot is neither 0 nor 1")
    return opened


Site = tuple[harness.World, ServiceProcess, str]


@pytest.fixture
def site(pages: Path, tmp_path: Path, encrypted_definition: Path) -> Iterator[Site]:
    with harness.demo_world(encrypted_definition) as world:
        relayer = harness.start_relayer(world.rpc_url, world.relayer_account, tmp_path / "relayer")
        try:
            folder = harness.write_site(pages, tmp_path / "site", world, [relayer.url])
            with harness.static_server(folder) as url:
                yield world, relayer, url
        finally:
            relayer.stop()


def test_a_sealed_ballot_is_sent_without_its_choice_and_opens_to_it(
    site: Site, new_context: NewContext
) -> None:
    world, _relayer, url = site
    voter = views.VoterPage(new_context(locale="en-US").new_page(), url).open()
    commitment = voter.create_identity()
    world.register("south", [int(commitment)])
    world.fill_district("south", 2)
    world.open_voting()

    sent: list[str] = []

    def keep(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.post_data or "")

    voter.page.on("request", keep)
    voter.open_ballot()
    voter.vote_for("Common Cause")
    receipt = voter.wait_until_included(revision=1)
    assert receipt["choice"].startswith("Sealed")
    assert sent and all('"choice"' not in body for body in sent)

    nullifier = int(receipt["nullifier"])
    [cast] = [e for e in world.election.encrypted_ballot_events() if e.nullifier == nullifier]
    assert cast.district == SOUTH
    assert _opened(cast.ciphertext) == [0, 1] + [0] * (elgamal.OPTIONS - 2)

    checked = voter.check_ballot()
    assert checked["choice"].startswith("Sealed")
    assert checked["revision"] == "1"

    observer = views.ObserverPage(new_context().new_page(), url).open()
    observer.expect_district(SOUTH, "voters", "1")
    expect(observer.page.locator("[data-sealed=true]")).to_be_visible()
