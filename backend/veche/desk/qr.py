"""QR codes for the registrar's desk: read from a photo or screenshot (zxing-cpp, the same
decoder the desk page runs as WebAssembly) and written to a PNG or SVG file, or drawn on the
terminal (segno)."""

from pathlib import Path

from veche.errors import VecheError


class QrError(VecheError):
    """An image cannot be read, holds no QR code, or holds none of the kind expected."""


def read_codes(image_path: Path) -> list[str]:
    """The texts of every QR code in the image at `image_path` (PNG, JPEG, ...)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(image_path) as image:
            image.load()
            pixels = image.convert("L")
    except FileNotFoundError:
        raise QrError(f"no image at {image_path}") from None
    except (UnidentifiedImageError, OSError) as error:
        raise QrError(f"{image_path} is not an image this tool can read: {error}") from None
    found = zxingcpp.read_barcodes(
        pixels, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [code.text for code in found if code.valid]


def read_code(image_path: Path, prefix: str, what: str) -> str:
    """The one code in the image whose text starts with `prefix` (case-insensitive)."""
    codes = read_codes(image_path)
    matching = [code for code in codes if code.upper().startswith(prefix)]
    if not matching:
        seen = f"{len(codes)} other QR code(s)" if codes else "no QR code"
        raise QrError(f"{image_path} holds no {what} ({prefix}...): found {seen}")
    if len(set(matching)) > 1:
        raise QrError(f"{image_path} holds {len(set(matching))} different {what}s: show one")
    return matching[0]


def write_code(text: str, out: Path) -> None:
    """Writes `text` as a QR code image (`.png` or `.svg`, by the file's suffix)."""
    import segno

    if out.suffix.lower() not in {".png", ".svg"}:
        raise QrError(f"write the QR code to a .png or .svg file, not {out.name}")
    try:
        segno.make_qr(text, error="m", boost_error=False).save(str(out), scale=8, border=4)
    except OSError as error:
        raise QrError(f"cannot write {out}: {error.strerror}") from None


def terminal_code(text: str) -> str:
    """`text` as a QR code drawn with block characters, for a terminal."""
    import io

    import segno

    sink = io.StringIO()
    segno.make_qr(text, error="m", boost_error=False).terminal(out=sink, compact=True, border=2)
    return sink.getvalue()
