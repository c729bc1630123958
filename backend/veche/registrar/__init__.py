"""The registrar's tool: check that a voter holds the identity, make the person's dedup tag
through the authorities, keep a pending batch with no personal data, submit it on chain."""
