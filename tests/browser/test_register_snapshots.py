"""The voter page at scale reads its district's register from a snapshot file (`veche register
snapshot`), rebuilds the root with Poseidon in WebAssembly and refuses the file unless that root
is the chain's; the requests it makes name a district at most, never the voter's commitment or
leaf. A tampered snapshot is refused by the page and by `veche register check` alike."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Request, expect

from tests.adversarial.cli import one_line_error, veche
from tests.browser.conftest import NewContext
from tests.browser.harness import (
    DEMO_DEFINITION,
    World,
    demo_world,
    start_relayer,
    static_server,
    write_site,
)
from tests.browser.pages import VoterPage
from veche.crypto.identity import Identity
from veche.devnet import ServiceProcess
from veche.register.snapshot import HEADER_BYTES

SOUTH = 1


@pytest.fixture(scope="module")
def voting_world() -> Iterator[tuple[World, list[Identity]]]:
    """Voting open, South's register of 41 voters frozen (an odd count: LeanIMT carries nodes
    up), North's of 3."""
    with demo_world() as world:
        world.fill_district("north", 3)
        voters = world.fill_district("south", 41)
        world.open_voting()
        yield world, voters


@pytest.fixture(scope="module")
def relayer(
    voting_world: tuple[World, list[Identity]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ServiceProcess]:
    world, _ = voting_world
    running = start_relayer(world.rpc_url, world.relayer_account, tmp_path_factory.mktemp("rl"))
    yield running
    running.stop()


def _site(pages: Path, folder: Path, world: World, relayers: list[str]) -> Path:
    """The pages with the register snapshots and ballot buckets the CLI writes."""
    site = write_site(
        pages, folder, world, relayers, snapshots="snapshots", ballotBuckets="buckets"
    )
    _write_buckets(world, site)
    run = veche(
        "register", "snapshot", "--rpc", world.rpc_url, "--election", world.election.address,
        "--definition", str(DEMO_DEFINITION), "--out", str(site / "snapshots"),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return site


def _write_buckets(world: World, site: Path) -> None:
    """`veche recount --buckets` into the site (16 buckets: the election is small)."""
    run = veche(
        "recount", "--rpc", world.rpc_url, "--election", world.election.address,
        "--definition", str(DEMO_DEFINITION), "--buckets", str(site / "buckets"),
        "--bucket-bits", "4", "--json", "-",
    )  # fmt: skip
    assert (site / "buckets" / "index.json").exists(), run.stderr


def _watch_requests(voter: VoterPage) -> list[str]:
    """Every request the page makes from now on: URL and body."""
    seen: list[str] = []

    def note(request: Request) -> None:
        seen.append(request.url + " " + (request.post_data or ""))

    voter.page.on("request", note)
    return seen


@pytest.mark.parametrize("choice", ["all", "south"])
def test_voter_votes_on_a_register_rebuilt_from_snapshots_and_names_only_a_district(
    choice: str,
    voting_world: tuple[World, list[Identity]],
    relayer: ServiceProcess,
    pages: Path,
    new_context: NewContext,
    tmp_path: Path,
) -> None:
    world, voters = voting_world
    voter_identity = voters[17 if choice == "all" else 40]
    site = _site(pages, tmp_path / "site", world, [relayer.url])
    with static_server(site) as url:
        voter = VoterPage(new_context().new_page(), url).open()
        requests = _watch_requests(voter)
        voter.restore_from_text(voter_identity.export())
        voter.page.locator("#register-choice").select_option("all" if choice == "all" else "1")
        voter.open_ballot()
        assert voter.district_line() == "Your district: South"
        asked = [r.split("/snapshots/register-")[1].split(".bin")[0] for r in requests
                 if "/snapshots/" in r]  # fmt: skip
        assert sorted(asked) == sorted(["north", "south", "east"] if choice == "all" else ["south"])
        # South's 41 leaves were hashed on two cores: half of them in the register's worker.
        assert any(r.startswith(f"{url}/register-worker.js") for r in requests)
        voter.vote_for("Common Cause")
        receipt = voter.wait_until_included(revision=1)
        counted = world.election.ballot_of(int(receipt["nullifier"]))
        assert (counted.district, counted.choice, counted.revision) == (SOUTH, 1, 1)
        # Nothing the page sent names the voter's commitment or leaf (in decimal or hex).
        commitment = voter_identity.commitment
        for request in requests:
            assert str(commitment) not in request
            assert f"{commitment:064x}" not in request.lower()
        if choice == "all":
            _check_through_buckets(world, voter, site, int(receipt["nullifier"]))


def _check_through_buckets(world: World, voter: VoterPage, site: Path, nullifier: int) -> None:
    """ "Check my ballot" finds the ballot through one bucket of ballot locations without
    sending the nullifier anywhere but the relayer it voted through; a bucket that hides the
    ballot or points elsewhere makes the page find nothing, never a false ballot."""
    _write_buckets(world, site)
    requests = _watch_requests(voter)
    checked = voter.check_ballot()
    assert (checked["choice"], checked["revision"], checked["count"]) == ("Common Cause", "1", "1")
    asked = [r for r in requests if "/buckets/" in r]
    assert [r.split("/buckets/")[1].strip() for r in asked] == [
        "index.json", f"ballots-{nullifier % 16:x}.json",
    ]  # fmt: skip
    for request in requests:
        assert str(nullifier) not in request and f"{nullifier:x}" not in request.lower()

    bucket = site / "buckets" / f"ballots-{nullifier % 16:x}.json"
    honest = json.loads(bucket.read_text())
    [(_, block, copies)] = [entry for entry in honest["ballots"] if entry[0] == str(nullifier)]
    assert copies == 0
    for entries in ([], [[str(nullifier), block - 1, 0]]):
        _check_with(voter, bucket, {**honest, "ballots": entries}, "[data-outcome=none]")

    # A relayer's copies of the record (counted by the recount, listed nowhere): the ballot is
    # shown with a warning that points to the recount.
    _check_with(voter, bucket, {**honest, "ballots": [[str(nullifier), block, 500]]},
                "[data-warning=copies]")  # fmt: skip
    # A bucket naming the nullifier in 300 blocks (what buckets listing every record gave for
    # a voter whose record a relayer re-posted 300 times, or a hostile host) is refused before
    # a single block is read; so is an oversized bucket, before it is downloaded whole.
    many = [[str(nullifier), b, 0] for b in range(block - 299, block + 1)]
    requests = _watch_requests(voter)
    _check_with(voter, bucket, {**honest, "ballots": many}, '[data-error="error.bucketSuspicious"]')
    # (the page's other reads, such as the key replacements, ask for one event by topic)
    assert not [r for r in requests if "eth_getLogs" in r and '"topics"' not in r], requests
    huge = [[str(2**250 + 16 * n + nullifier % 16), block, 0] for n in range(60_000)]
    _check_with(voter, bucket, {**honest, "ballots": huge}, '[data-error="error.bucketTooLarge"]')


def _check_with(voter: VoterPage, bucket: Path, body: dict, shown: str) -> None:
    """Serves `body` as the voter's bucket, checks again and waits for `shown`."""
    bucket.write_text(json.dumps(body))
    voter.page.locator("#check-form button[type=submit]").click()
    expect(voter.page.locator(f"#check-result {shown}")).to_be_visible()
    voter.page.locator("#check-result").evaluate("box => box.replaceChildren()")


def test_a_tampered_snapshot_is_refused_by_the_page_and_by_the_cli(
    voting_world: tuple[World, list[Identity]],
    pages: Path,
    new_context: NewContext,
    tmp_path: Path,
) -> None:
    world, voters = voting_world
    site = _site(pages, tmp_path / "site", world, [])
    south = site / "snapshots" / "register-south.bin"
    data = bytearray(south.read_bytes())
    data[HEADER_BYTES + 32 * 5 + 31] ^= 1  # another voter's commitment, one bit off
    south.write_bytes(bytes(data))
    with static_server(site) as url:
        voter = VoterPage(new_context().new_page(), url).open()
        voter.restore_from_text(voters[0].export())
        voter.page.locator("#register-choice").select_option("1")
        voter.page.locator("#prepare-ballot").click()
        assert voter.vote_error() == "error.registerMismatch"
        assert "South" in voter.vote_error_text() or "2" in voter.vote_error_text()
        assert voter.page.locator("#ballot-form").is_hidden()
    check = veche(
        "register", "check", "--rpc", world.rpc_url, "--election", world.election.address,
        str(south),
    )  # fmt: skip
    assert check.returncode != 0
    assert "root" in one_line_error(check)
