"""A multi-party Groth16 ceremony (phase 2) that the people running an election hold themselves.

Files pass from hand to hand: the organizer starts from a public powers-of-tau file checked
against its published hash (`ptau`), each contributor adds a secret on their own machine and
publishes the contribution hash, a public random beacon closes the transcript, and anyone can
verify the whole transcript from the circuit and the powers of tau before the keys are exported
(`steps`). No server is needed.
"""
