"""The trustees of an encrypted election: the election key (16 option keys made by 16 runs of
the dedup DKG, so no machine ever holds one), their shares, and the decryption of the
district sums with proofs (partial decryptions, DLEQ, Lagrange combination, small discrete
logarithm)."""
