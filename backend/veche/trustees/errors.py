"""Errors of the trustees: each names the file, trustee, district or option at fault."""

from veche.errors import VecheError


class TrusteeError(VecheError):
    """Root of the errors raised by `veche.trustees`."""


class ElectionKeyError(TrusteeError):
    """An election key or trustee share file is missing, unreadable, malformed or inconsistent
    (a verification share off the option key's polynomial, a share that does not match)."""


class SumsFileError(TrusteeError):
    """The district sums file is missing, malformed, or for another election key."""


class DecryptionError(TrusteeError):
    """Root of the errors of partial decryptions and their combination."""


class MalformedDecryption(DecryptionError):
    """A trustee's published data has the wrong length, or an entry that is not a point of the
    subgroup with a challenge and response below `l`."""

    def __init__(self, trustee: int, reason: str) -> None:
        self.trustee = trustee
        self.reason = reason
        super().__init__(f"trustee {trustee}'s decryption is malformed: {reason}")


class WrongDecryption(DecryptionError):
    """A trustee's partial decryption does not carry a valid proof for its verification share:
    the trustee is faulty or cheating, and is named."""

    def __init__(self, trustee: int, district: int, option: int) -> None:
        self.trustee = trustee
        self.district = district
        self.option = option
        super().__init__(
            f"trustee {trustee}'s partial decryption of district {district}, option {option} "
            "fails its proof: it is not made with the trustee's share"
        )


class TooFewTrustees(DecryptionError):
    """Fewer than `k` trustees published a valid decryption: no count can be computed."""

    def __init__(self, valid: list[int], threshold: int, refused: dict[int, str]) -> None:
        self.valid = valid
        self.threshold = threshold
        self.refused = refused
        reasons = "; ".join(f"trustee {j}: {why}" for j, why in sorted(refused.items()))
        super().__init__(
            f"only {len(valid)} valid partial decryptions (trustees {valid}); {threshold} are "
            "needed to decrypt" + (f" (refused: {reasons})" if reasons else "")
        )


class CountNotFound(DecryptionError):
    """The combined decryption of a district's option is no count up to its ballots: the sum,
    the ballot count or the election key is not the one the trustees decrypted."""

    def __init__(self, district: int, option: int, ballots: int) -> None:
        self.district = district
        self.option = option
        self.ballots = ballots
        super().__init__(
            f"district {district}, option {option}: the decryption is no count between 0 and "
            f"its {ballots} ballots; the sums or the election key do not match the decryptions"
        )
