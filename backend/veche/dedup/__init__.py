"""Blind deduplication of persons across registrars: a threshold OPRF (2HashDH) on Baby Jubjub.

A person's normalized attributes (`normalize`, `person`) are hashed onto the curve
(`hash_to_group`), blinded by the registrar, evaluated by each of k-of-n dedup authorities under
its Shamir share of one key (`shamir`, `authority/`) with a proof that it used its published
share (`dleq`), combined and unblinded by the registrar into the person's tag (`oprf`). No
authority sees the attributes, and nobody without k authorities can compute or test a tag.
"""
