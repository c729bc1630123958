"""Runs a dedup authority: loads its share, connects to the election, serves HTTP with no
access log."""

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import uvicorn

from veche.chain.client import connect
from veche.chain.election import ElectionContract
from veche.dedup.authority.app import create_app
from veche.dedup.authority.quota import EvaluationCounts
from veche.dedup.keys import ShareFile


def serve(
    share_file: ShareFile,
    *,
    rpc_url: str,
    elections: Sequence[str],
    host: str,
    port: int,
    counts: Path | None = None,
) -> None:
    """Serves until interrupted. Nothing about requests is written anywhere: uvicorn's access
    log is off and only its warnings (startup failures) reach stderr."""
    w3 = connect(rpc_url)
    contracts = [ElectionContract(w3, election) for election in elections]
    app = create_app(
        share_file,
        chain_id=int(w3.eth.chain_id),
        elections={contract.address: contract.is_registrar for contract in contracts},
        quotas={contract.address: _total_quota(contract) for contract in contracts},
        counts=EvaluationCounts(counts),
    )
    key_set = share_file.key_set
    served = ", ".join(contract.address for contract in contracts)
    print(
        f"dedup authority {share_file.share.index} of {key_set.shares} (threshold "
        f"{key_set.threshold}) for election {served} on http://{host}:{port}",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")


def _total_quota(contract: ElectionContract) -> Callable[[str], int]:
    """A registrar's quota summed over the election's districts, as the chain says now."""

    def quota(registrar: str) -> int:
        return sum(
            contract.registrar_quota(registrar, district).quota
            for district in range(contract.district_count())
        )

    return quota
