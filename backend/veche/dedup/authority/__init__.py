"""A dedup authority: a small HTTP service that evaluates blinded points with its key share."""
