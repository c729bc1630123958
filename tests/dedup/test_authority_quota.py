"""An authority counts evaluations per registrar and refuses past its quota plus a margin, so a
registrar cannot test at will whether a known person is registered. Counts (never inputs) are
published, and survive a restart."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.dedup.authority.app import create_app
from veche.dedup.authority.quota import EvaluationCounts, allowance
from veche.dedup.authority.server import _total_quota
from veche.dedup.keygen import deal
from veche.dedup.oprf import blind
from veche.dedup.request import sign_request
from veche.definition import load
from veche.definition.retime import starting_at

pytestmark = [pytest.mark.chain]


@pytest.fixture(scope="module")
def election(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, small, large = dev_accounts(3)
        definition_file = tmp_path_factory.mktemp("definition") / "election.toml"
        template = (REPO_ROOT / "examples" / "demo.toml").read_text()
        definition_file.write_text(starting_at(template, latest_timestamp(w3)))
        definition = load(definition_file)
        grants = grants_everywhere(small.address, 3, 1) + grants_everywhere(large.address, 3, 50)
        contract = deploy_from_definition(w3, organizer, definition, registrars=grants)
        _, shares = deal(2, 3)
        yield {"w3": w3, "contract": contract, "small": small, "large": large, "share": shares[0]}


def _app(election: dict, counts: Path) -> TestClient:
    contract = election["contract"]
    return TestClient(
        create_app(
            election["share"],
            chain_id=int(election["w3"].eth.chain_id),
            elections={contract.address: contract.is_registrar},
            quotas={contract.address: _total_quota(contract)},
            counts=EvaluationCounts(counts),
        )
    )


def _ask(client: TestClient, election: dict, registrar) -> int:  # type: ignore[no-untyped-def]
    request = sign_request(
        registrar,
        int(election["w3"].eth.chain_id),
        election["contract"].address,
        blind(b"SOKOLOVA|ANNA|1991-02-03|RU").point,
    )
    return client.post("/evaluate", json=request.to_json()).status_code


def test_a_registrar_past_its_quota_and_margin_is_refused_even_after_a_restart(
    election: dict, tmp_path: Path
) -> None:
    counts = tmp_path / "counts.json"
    client = _app(election, counts)
    small, large = election["small"], election["large"]
    assert allowance(3) == 13  # quota 1 in each of 3 districts, plus the minimum margin of 10
    assert [_ask(client, election, small) for _ in range(13)] == [200] * 13
    refused = sign_request(
        small,
        int(election["w3"].eth.chain_id),
        election["contract"].address,
        blind(b"x").point,
    )
    answer = client.post("/evaluate", json=refused.to_json())
    assert answer.status_code == 429 and answer.json()["error"] == "quota_exhausted"
    assert "quota of 3 plus a margin of 10" in answer.json()["detail"]
    assert _ask(client, election, large) == 200  # another registrar is not affected

    restarted = _app(election, counts)
    assert _ask(restarted, election, small) == 429
    published = restarted.get("/counts").json()
    address = election["contract"].address
    assert published["counts"] == {address: {small.address: 13, large.address: 1}}
    # Counts only: no blinded point, person or time is kept.
    assert set(json.loads(counts.read_text())[address]) == {small.address, large.address}
    assert "blinded" not in counts.read_text()


def test_the_margin_grows_with_the_quota() -> None:
    assert allowance(0) == 0
    assert allowance(100) == 110
    assert allowance(10_000) == 10_500
