"""The registrar's desk on the command line: `veche registrar challenge --qr`, `veche voter
sign-challenge` (typed or from a photo of the desk's code), and the images a registrar's tool
reads; every bad input is one line."""

from pathlib import Path

import pytest
from PIL import Image

from veche.cli.main import main
from veche.crypto.identity import Identity
from veche.desk.qr import QrError, read_code, read_codes, write_code
from veche.registrar.challenge import (
    CHALLENGE_PREFIX,
    HOLDER_PROOF_PREFIX,
    HolderProof,
    challenge_code,
    new_challenge,
    verify_holder,
)


@pytest.fixture
def key(tmp_path: Path) -> tuple[Identity, Path]:
    identity = Identity.generate()
    path = tmp_path / "me.key"
    path.write_text(identity.export() + "\n")
    return identity, path


def test_the_desk_code_written_by_the_registrar_tool_reads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    image = tmp_path / "desk.png"
    assert main(["registrar", "challenge", "--qr", str(image)]) == 0
    printed = capsys.readouterr().out.strip()
    assert read_code(image, CHALLENGE_PREFIX, "challenge") == CHALLENGE_PREFIX + printed


@pytest.mark.parametrize("from_photo", [False, True])
def test_a_command_line_voter_signs_the_desk_code(
    key: tuple[Identity, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    from_photo: bool,
) -> None:
    identity, path = key
    challenge = new_challenge()
    if from_photo:
        photo = tmp_path / "desk.png"
        write_code(challenge_code(challenge), photo)
        given = ["--challenge-qr", str(photo)]
    else:
        given = ["--challenge", str(challenge)]
    answer_image = tmp_path / "answer.svg"
    argv = ["voter", "sign-challenge", "--identity", str(path), *given, "--qr", str(answer_image)]
    assert main(argv) == 0
    code = capsys.readouterr().out.strip()
    proof = HolderProof.from_text(code)
    assert proof.challenge == challenge
    verify_holder(proof, identity.commitment)
    assert answer_image.read_text().startswith("<?xml")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (["--challenge", "12x"], "must be decimal numbers"),
        (["--challenge", "VECHE:C1:0"], "not a field element"),
        (["--challenge-qr", "missing.png"], "no image at"),
        (["--challenge-qr", "notes.txt"], "not an image"),
        (["--challenge-qr", "blank.png"], "holds no registrar's challenge"),
        (["--challenge-qr", "answer.png"], "found 1 other QR code"),
        (["--challenge", "1", "--qr", "out.jpg"], ".png or .svg"),
    ],
)
def test_bad_desk_inputs_are_one_line_errors(
    key: tuple[Identity, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    given: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    Image.new("L", (100, 100), 255).save(tmp_path / "blank.png")
    write_code(HOLDER_PROOF_PREFIX + "0" * 307, tmp_path / "answer.png")
    assert main(["voter", "sign-challenge", "--identity", str(key[1]), *given]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_photo_with_two_different_answers_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "1.png", tmp_path / "2.png"
    write_code(challenge_code(1), first)
    write_code(challenge_code(2), second)
    both = Image.new("L", (1000, 500), 255)
    both.paste(Image.open(first), (0, 0))
    both.paste(Image.open(second), (500, 0))
    both.save(tmp_path / "both.png")
    assert sorted(read_codes(tmp_path / "both.png")) == [challenge_code(1), challenge_code(2)]
    with pytest.raises(QrError, match="2 different"):
        read_code(tmp_path / "both.png", CHALLENGE_PREFIX, "challenge")


def test_the_registrar_needs_exactly_one_form_of_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["registrar", "add", "--rpc", "http://127.0.0.1:1", "--election", "0x" + "11" * 20,
              "--batch", "b.json", "--district", "0", "--authority", "http://a",
              "--authority-keys", "k.json"]  # fmt: skip
    assert main(common) == 1
    assert "give one of --holder-qr" in capsys.readouterr().err
    assert main([*common, "--holder-proof", "x", "--holder-qr", "y.png"]) == 1
    assert "give one of --holder-qr" in capsys.readouterr().err
