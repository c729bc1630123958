"""Chromium's fake camera fed a picture: what a page's camera sees when a person holds a phone
up to it. Chromium plays a Y4M file (`--use-file-for-fake-video-capture`) in a loop; the file
is read when a page opens the camera, so a test can write the picture just before."""

from pathlib import Path

from PIL import Image

WIDTH, HEIGHT = 640, 480


def camera_flags(video: Path) -> list[str]:
    """Chromium flags that make `video` the camera, with no permission prompt."""
    return [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]


def blank_picture() -> bytes:
    """A white picture: a camera pointed at nothing."""
    import io

    sink = io.BytesIO()
    Image.new("L", (64, 64), 255).save(sink, format="PNG")
    return sink.getvalue()


def show_to_camera(picture: bytes | Path, video: Path) -> None:
    """Writes `picture` (a PNG screenshot, say) as the fake camera's video: centred on a white
    frame of 640x480, grey levels only (Y plane; neutral chroma), a few identical frames."""
    source = Image.open(picture if isinstance(picture, Path) else _bytes(picture)).convert("L")
    source.thumbnail((WIDTH - 40, HEIGHT - 40))
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(source, ((WIDTH - source.width) // 2, (HEIGHT - source.height) // 2))
    luma = frame.tobytes()
    chroma = bytes([128]) * (WIDTH // 2 * HEIGHT // 2)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    temporary = video.with_suffix(".tmp")
    with temporary.open("wb") as sink:
        sink.write(header)
        for _ in range(5):
            sink.write(b"FRAME\n" + luma + chroma + chroma)
    temporary.replace(video)


def _bytes(data: bytes):  # type: ignore[no-untyped-def]
    import io

    return io.BytesIO(data)
