"""HTTP routes of the relayer, one resource per module."""
