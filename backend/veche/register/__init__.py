"""The public register as data: snapshots of each district's commitments, checked on chain."""
