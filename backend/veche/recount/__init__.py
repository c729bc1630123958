"""The recount: the whole result, recomputed from public chain data alone.

It must never depend on the relayer (nothing here imports `veche.relayer`): anyone with an RPC
endpoint and this code can check an election without trusting whoever ran it.
"""

from veche.recount.recount import RecountResult, recount

__all__ = ["RecountResult", "recount"]
