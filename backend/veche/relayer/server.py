"""Runs the relayer with uvicorn, with access logs off: an access log is a list of voters' IPs."""

import logging

import uvicorn

from veche.relayer.app import create_app
from veche.relayer.settings import Settings


def serve(host: str, port: int) -> None:
    settings = Settings.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        log_level="warning",
    )
