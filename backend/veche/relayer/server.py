"""Runs the relayer with uvicorn (httptools, uvloop), with access logs off: an access log is a
list of voters' IPs."""

import logging
import socket

import uvicorn

from veche.errors import VecheError
from veche.relayer.app import create_app
from veche.relayer.settings import Settings


class PortBusy(VecheError):
    """The address the relayer should listen on is taken (or not this machine's)."""


def _require_free(host: str, port: int) -> None:
    """Refuses a busy port in one line before connecting to the chain or opening the queue."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise PortBusy(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def serve(host: str, port: int) -> None:
    settings = Settings.from_env()
    _require_free(host, port)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        http="httptools",  # C parser and event loop: a fraction of h11's and asyncio's CPU
        loop="uvloop",
        access_log=False,
        server_header=False,
        proxy_headers=False,
        log_level="warning",
    )
