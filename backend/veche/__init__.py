"""Veche: anonymous, verifiable elections on a public ledger."""
