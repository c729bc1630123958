"""Distributed key generation for the dedup OPRF: no dealer, no machine ever holds the key.

Gennaro, Jarecki, Krawczyk and Rabin's DKG (J. Cryptology 2007) on Baby Jubjub's subgroup, among
`n` authorities with threshold `k` (polynomials of degree `k - 1`). Everything is a message on a
public board (a folder passed around or published); secrets travel in sealed boxes (`sealed`).

1. Deal. Authority `i` draws `f_i`, `f'_i` of degree `k - 1`, publishes Pedersen commitments
   `C_ik = a_ik·G + b_ik·H` and seals `(f_i(j), f'_i(j))` to each authority `j`.
2. Check. `j` opens its boxes and checks `f_i(j)·G + f'_i(j)·H = Σ_k j^k·C_ik`; it publishes
   the dealers it complains about (never a share).
3. Answer. An accused dealer reveals the disputed shares; anyone checks them against `C_i`.
   A dealer with `k` or more complaints, a missing answer, or a revealed share that fails, is
   disqualified: the rest form QUAL.
4. Extract. Each dealer in QUAL publishes Feldman commitments `A_ik = a_ik·G`; each `j` checks
   `f_i(j)·G = Σ_k j^k·A_ik`. A dealer that fails is exposed by the complaint itself (the share
   pair satisfies `C_i` but not `A_i`); its polynomial is then rebuilt from `k` revealed
   shares, so its contribution stays in the key (it cannot bias the key by dropping out).
5. Finish. The group key is `Y = Σ_{i∈QUAL} A_i0`; authority `j`'s share is
   `x_j = Σ_{i∈QUAL} f_i(j)` and its verification share `Y_j = Σ_{i∈QUAL} Σ_k j^k·A_ik`, which
   everyone computes from the board. The result is the same `PublicKeySet` and share files as
   the dealer's (`keys`), so the OPRF, the authorities and the registrars are unchanged.

`H` is hashed onto the group, so nobody knows `log_G H`: Pedersen commitments hide the secrets
until QUAL is fixed, which is what keeps a cheater from biasing the group key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from veche.crypto.babyjub import IDENTITY, Point
from veche.dedup.errors import DedupError, InvalidShares
from veche.dedup.group import (
    GENERATOR,
    ORDER,
    add,
    from_json,
    linear_combination,
    mul,
    to_json,
)
from veche.dedup.hash_to_group import hash_to_group
from veche.dedup.keys import PublicKeySet
from veche.dedup.sealed import SealedBox, SealedBoxError, open_box, seal
from veche.dedup.shamir import Share, lagrange_coefficients, random_scalar, require_parameters

FORMAT = "veche-dkg/v1"
H = hash_to_group(b"second generator for Pedersen commitments", b"veche/dedup/dkg/h/v1")
"""Pedersen's second generator, with a discrete log nobody knows."""


class DkgError(DedupError):
    """A DKG message is malformed, or the protocol cannot complete."""


def _context(session: str, dealer: int, recipient: int) -> bytes:
    return f"{FORMAT}|{session}|share {dealer}->{recipient}".encode()


def _powers(x: int, count: int) -> list[int]:
    return [pow(x, k, ORDER) for k in range(count)]


def _evaluate(coefficients: Sequence[int], x: int) -> int:
    result = 0
    for coefficient in reversed(coefficients):
        result = (result * x + coefficient) % ORDER
    return result


def _commitment_at(commitments: Sequence[Point], x: int) -> Point:
    """`Σ_k x^k·C_k`: the commitment to a polynomial's value at `x`."""
    return linear_combination(list(zip(_powers(x, len(commitments)), commitments, strict=True)))


def pedersen(value: int, blinding: int) -> Point:
    return add(mul(GENERATOR, value), mul(H, blinding))


# --- messages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    session: str
    """A name for this run (e.g. the election and a date): bound into every sealed box."""
    threshold: int
    authorities: int

    def check(self) -> Parameters:
        require_parameters(self.threshold, self.authorities)
        if not self.session:
            raise DkgError("a DKG session needs a name")
        return self


@dataclass(frozen=True)
class Dealing:
    """Dealer `index`'s public message of step 1."""

    index: int
    commitments: tuple[Point, ...]
    boxes: Mapping[int, SealedBox]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "index": self.index,
            "pedersenCommitments": [to_json(c) for c in self.commitments],
            "sealedShares": {str(j): box.to_json() for j, box in sorted(self.boxes.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> Dealing:
        try:
            return cls(
                int(data["index"]),
                tuple(
                    from_json(c, f"commitment {k}")
                    for k, c in enumerate(data["pedersenCommitments"])
                ),
                {int(j): SealedBox.from_json(b) for j, b in data["sealedShares"].items()},
            )
        except (KeyError, TypeError, ValueError) as error:
            raise DkgError(f"malformed dealing: {error}") from None


@dataclass(frozen=True)
class DealerSecret:
    """What dealer `index` keeps until the end (its two polynomials); erased after `finish`."""

    index: int
    f: tuple[int, ...]
    f_blinding: tuple[int, ...]

    def __repr__(self) -> str:
        return f"DealerSecret(index={self.index}, <secret>)"

    def share_for(self, j: int) -> tuple[int, int]:
        return _evaluate(self.f, j), _evaluate(self.f_blinding, j)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "index": self.index,
            "f": [str(a) for a in self.f],
            "fBlinding": [str(b) for b in self.f_blinding],
        }

    @classmethod
    def from_json(cls, data: Any) -> DealerSecret:
        try:
            return cls(
                int(data["index"]),
                tuple(int(a) for a in data["f"]),
                tuple(int(b) for b in data["fBlinding"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise DkgError(f"malformed dealer secret: {error}") from None


def deal(
    params: Parameters, index: int, encryption_keys: Mapping[int, Point]
) -> tuple[DealerSecret, Dealing]:
    """Step 1 for authority `index`: its polynomials and its public dealing."""
    params.check()
    if sorted(encryption_keys) != list(range(1, params.authorities + 1)):
        raise DkgError(f"need the encryption keys of authorities 1..{params.authorities}")
    secret = DealerSecret(
        index,
        tuple(random_scalar() for _ in range(params.threshold)),
        tuple(random_scalar() for _ in range(params.threshold)),
    )
    commitments = tuple(pedersen(a, b) for a, b in zip(secret.f, secret.f_blinding, strict=True))
    boxes = {}
    for j, key in encryption_keys.items():
        value, blinding = secret.share_for(j)
        payload = value.to_bytes(32, "big") + blinding.to_bytes(32, "big")
        boxes[j] = seal(key, payload, _context(params.session, index, j))
    return secret, Dealing(index, commitments, boxes)


def open_share(
    params: Parameters, dealing: Dealing, recipient: int, decryption_key: int
) -> tuple[int, int] | None:
    """The share pair `dealing` sealed for `recipient`, or None if it is missing or altered."""
    box = dealing.boxes.get(recipient)
    if box is None:
        return None
    try:
        payload = open_box(box, decryption_key, _context(params.session, dealing.index, recipient))
    except SealedBoxError:
        return None
    if len(payload) != 64:
        return None
    return int.from_bytes(payload[:32], "big"), int.from_bytes(payload[32:], "big")


def share_matches_dealing(
    params: Parameters, dealing: Dealing, recipient: int, pair: tuple[int, int] | None
) -> bool:
    """Step 2's check: the pair lies on the dealer's committed polynomials."""
    if pair is None or len(dealing.commitments) != params.threshold:
        return False
    value, blinding = pair
    if not (0 <= value < ORDER and 0 <= blinding < ORDER):
        return False
    return pedersen(value, blinding) == _commitment_at(dealing.commitments, recipient)


def share_matches_feldman(commitments: Sequence[Point], recipient: int, value: int) -> bool:
    return mul(GENERATOR, value) == _commitment_at(commitments, recipient)


@dataclass(frozen=True)
class Board:
    """Everything published so far (what each authority reads from the shared folder)."""

    params: Parameters
    encryption_keys: dict[int, Point] = field(default_factory=dict)
    dealings: dict[int, Dealing] = field(default_factory=dict)
    complaints: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """By accuser: the dealers it complains about (step 2)."""
    answers: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    """By dealer: the share pairs it revealed, by accuser (step 3)."""
    feldman: dict[int, tuple[Point, ...]] = field(default_factory=dict)
    """By dealer in QUAL: `A_ik` (step 4)."""
    exposures: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    """By accuser: share pairs of dealers whose Feldman commitments they fail (step 4)."""
    reveals: dict[int, dict[int, tuple[int, int]]] = field(default_factory=dict)
    """By authority: its share pairs from exposed dealers, to rebuild them (step 4b)."""

    def disqualified(self) -> dict[int, str]:
        """Dealers out of QUAL, with the reason (public: anyone recomputes it)."""
        out: dict[int, str] = {}
        for i in range(1, self.params.authorities + 1):
            dealing = self.dealings.get(i)
            if dealing is None:
                out[i] = "dealt nothing"
                continue
            if len(dealing.commitments) != self.params.threshold:
                out[i] = f"committed to {len(dealing.commitments)} coefficients"
                continue
            accusers = sorted(j for j, against in self.complaints.items() if i in against)
            if len(accusers) >= self.params.threshold:
                out[i] = f"{len(accusers)} complaints (authorities {accusers})"
                continue
            answered = self.answers.get(i, {})
            for j in accusers:
                if j not in answered:
                    out[i] = f"did not answer authority {j}'s complaint"
                    break
                if not share_matches_dealing(self.params, dealing, j, answered[j]):
                    out[i] = f"revealed a share for authority {j} that fails its commitments"
                    break
        return out

    def qualified(self) -> list[int]:
        bad = self.disqualified()
        qual = [i for i in range(1, self.params.authorities + 1) if i not in bad]
        if len(qual) < self.params.threshold:
            raise DkgError(
                f"only {len(qual)} authorities qualified ({qual}); {self.params.threshold} needed"
            )
        return qual

    def exposed(self) -> list[int]:
        """QUAL dealers whose Feldman commitments a proven share contradicts."""
        found = set()
        for j, pairs in self.exposures.items():
            for i, pair in pairs.items():
                dealing, feldman = self.dealings.get(i), self.feldman.get(i)
                if dealing is None or not share_matches_dealing(self.params, dealing, j, pair):
                    continue  # a false complaint proves nothing
                if feldman is None or not share_matches_feldman(feldman, j, pair[0]):
                    found.add(i)
        for i in self.qualified():
            if i not in self.feldman:
                found.add(i)
        return sorted(found)

    def _rebuilt(self, dealer: int) -> dict[int, int]:
        """`f_dealer(j)` for the authorities that revealed a share consistent with `C_dealer`."""
        dealing = self.dealings[dealer]
        valid = {
            j: pair[0]
            for j, pairs in self.reveals.items()
            if (pair := pairs.get(dealer)) is not None
            and share_matches_dealing(self.params, dealing, j, pair)
        }
        if len(valid) < self.params.threshold:
            raise DkgError(
                f"dealer {dealer} is exposed but only {len(valid)} shares of it were revealed; "
                f"{self.params.threshold} needed to rebuild it"
            )
        return valid

    def contribution_at(self, dealer: int, x: int) -> Point:
        """`f_dealer(x)·G` from its Feldman commitments, or from revealed shares if exposed."""
        if dealer in self.exposed():
            valid = self._rebuilt(dealer)
            basis = sorted(valid)[: self.params.threshold]
            coefficients = lagrange_coefficients(basis, at=x)
            return mul(GENERATOR, sum(coefficients[j] * valid[j] for j in basis) % ORDER)
        return _commitment_at(self.feldman[dealer], x)

    def key_set(self) -> PublicKeySet:
        """The group key and every qualified authority's verification share."""
        qual = self.qualified()
        group_key = IDENTITY
        for i in qual:
            group_key = add(group_key, self.contribution_at(i, 0))
        public_keys = {}
        for j in qual:
            total = IDENTITY
            for i in qual:
                total = add(total, self.contribution_at(i, j))
            public_keys[j] = total
        return PublicKeySet(
            threshold=self.params.threshold,
            shares=self.params.authorities,
            group_public_key=group_key,
            public_keys=public_keys,
        ).check()


def complaints_of(
    board: Board, recipient: int, decryption_key: int
) -> tuple[dict[int, tuple[int, int]], list[int]]:
    """Step 2 for `recipient`: the valid share pairs it received, and the dealers it accuses."""
    received, accused = {}, []
    for i, dealing in sorted(board.dealings.items()):
        pair = open_share(board.params, dealing, recipient, decryption_key)
        if share_matches_dealing(board.params, dealing, recipient, pair):
            assert pair is not None
            received[i] = pair
        else:
            accused.append(i)
    return received, accused


def answers_of(board: Board, secret: DealerSecret) -> dict[int, tuple[int, int]]:
    """Step 3 for a dealer: the share pairs it reveals to answer complaints against it."""
    return {
        j: secret.share_for(j) for j, against in board.complaints.items() if secret.index in against
    }


def feldman_of(secret: DealerSecret) -> tuple[Point, ...]:
    return tuple(mul(GENERATOR, a) for a in secret.f)


def final_shares(
    board: Board, recipient: int, received: Mapping[int, tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """The recipient's share pair from every QUAL dealer: received privately, or revealed."""
    pairs = dict(received)
    for i in board.qualified():
        if i not in pairs and recipient in board.answers.get(i, {}):
            pairs[i] = board.answers[i][recipient]
    return pairs


def exposures_of(
    board: Board, recipient: int, pairs: Mapping[int, tuple[int, int]]
) -> dict[int, tuple[int, int]]:
    """Step 4's check for `recipient`: share pairs that contradict a dealer's Feldman values."""
    return {
        i: pairs[i]
        for i in board.qualified()
        if i in board.feldman
        and not share_matches_feldman(board.feldman[i], recipient, pairs[i][0])
    }


def finish(board: Board, recipient: int, pairs: Mapping[int, tuple[int, int]]) -> Share:
    """Step 5: the recipient's share of the group key, checked against its verification share."""
    qual = board.qualified()
    if recipient not in qual:
        raise DkgError(f"authority {recipient} is not qualified: it holds no share")
    missing = [i for i in qual if i not in pairs]
    if missing:
        raise DkgError(f"authority {recipient} has no valid share from dealers {missing}")
    value = sum(pairs[i][0] for i in qual) % ORDER
    if mul(GENERATOR, value) != board.key_set().public_keys[recipient]:
        raise InvalidShares(f"authority {recipient}'s share does not match its verification share")
    return Share(recipient, value)
