"""Which verification key a recount may judge ballots with: the one the definition pins.

Unlike the deploy, the relayer and the page, the recount does not refuse the development key in
production mode, since it must still be able to judge an election that used it: it warns loudly,
and the record names the key's hash.
"""

import warnings
from pathlib import Path

from veche import keys
from veche.ceremony.pin import DevKeyRecountWarning, check_key, production, warn_if_development_key
from veche.definition.model import ElectionDefinition
from veche.protocol.records import BallotSecrecy
from veche.protocol.spec import ZK_VERIFICATION_KEY


def recount_key(path: Path, pinned: str | None) -> str:
    """The key's sha256; `KeyNotPinned` if the definition pins another key."""
    found = check_key(path, pinned, who="recount", refuse_development=False)
    if not warn_if_development_key(found) and pinned is None and production():
        warnings.warn(
            "the definition pins no verification key: nothing ties these ballots' key to the "
            "election's ceremony",
            DevKeyRecountWarning,
            stacklevel=2,
        )
    return found


def default_verification_key(definition: ElectionDefinition) -> Path:
    """The verification key to judge `definition`'s ballots with when none is given: the
    encrypted ballot circuit's (`veche.keys.encrypted_zk_dir`) for an encrypted election, the
    Semaphore circuit's otherwise."""
    if definition.ballot_secrecy is BallotSecrecy.ENCRYPTED:
        return keys.encrypted_zk_dir() / ZK_VERIFICATION_KEY
    return keys.verification_key_path()
