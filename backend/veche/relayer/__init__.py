"""The relayer: an HTTP service that submits voters' ballots to the chain from its own account.

It never learns who a voter is: a ballot carries only a nullifier, a choice and a proof. It keeps
no client address anywhere (no access log, no rate-limit table on disk) and checks every ballot
off-chain with the same reference model as the recount before it spends gas.
"""
