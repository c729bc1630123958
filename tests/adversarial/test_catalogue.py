"""docs/SECURITY.md lists exactly the attacks and faults the tests register, and the catalogue
is as large as issue 12 asks."""

from tests.adversarial.catalogue import ATTACKS, FAULTS, SECURITY_MD, current_document, load_all

MINIMUM_ATTACKS = 40


def test_security_md_is_generated_from_the_tests() -> None:
    expected = current_document()
    assert SECURITY_MD.read_text() == expected, (
        "docs/SECURITY.md is out of date: run `.venv/bin/python -m tests.adversarial.catalogue`"
    )


def test_every_attack_names_its_layers_and_refusal() -> None:
    load_all()
    assert len(ATTACKS) >= MINIMUM_ATTACKS, f"only {len(ATTACKS)} attacks"
    for entry in [*ATTACKS.values(), *FAULTS.values()]:
        assert entry.layers and entry.refusal.strip() and entry.name.strip(), entry


def test_every_registered_test_exists_under_its_name() -> None:
    load_all()
    for key in [*ATTACKS, *FAULTS]:
        path, name = key.split("::")
        assert f"def {name}(" in (SECURITY_MD.parents[1] / path).read_text(), key
