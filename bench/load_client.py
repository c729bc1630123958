"""The relayer benchmark's load generator: a process of its own, so that its CPU is not the
relayer's, sending prepared `POST /ballots` bodies over keep-alive HTTP/1.1 connections.

Each of `--connections` connections sends one ballot, waits for the answer, then sends the next
(as that many voters' devices would). Requests are written as bytes prepared in advance and
answers are read with a minimal HTTP/1.1 parser: the client's CPU per ballot stays far below the
relayer's, so the figure measured is the relayer's. Times are `time.monotonic()` (one clock for
every process of the machine), so the benchmark can set them against the chain's inclusion
times.

    python bench/load_client.py URL BODIES.jsonl RESULT.json [--connections 64]

RESULT.json: `{"cpu_seconds", "results": [[nullifier, sent, answered, status], ...],
"refusals": [first answers that were not 202]}`.
"""

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path
from urllib.parse import urlsplit


def _request(host: str, body: bytes) -> bytes:
    head = (
        f"POST /ballots HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split(b" ", 2)[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def _run(url: str, bodies: list[bytes], nullifiers: list[str], connections: int) -> dict:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    prepared = [_request(f"{host}:{port}", body) for body in bodies]
    results: list[list] = []
    refusals: list[str] = []
    next_index = 0

    async def connection() -> None:
        nonlocal next_index
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while next_index < len(prepared):
                index = next_index
                next_index += 1
                sent = time.monotonic()
                try:
                    writer.write(prepared[index])
                    status, body = await _answer(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    # The server closed an idle connection: the same ballot again on a new one
                    # (resending a ballot is harmless, the relayer answers it the same way).
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    writer.write(prepared[index])
                    status, body = await _answer(reader)
                results.append([nullifiers[index], sent, time.monotonic(), status])
                if status != 202 and len(refusals) < 10:
                    refusals.append(f"{status} {body[:200].decode(errors='replace')}")
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(connections)))
    return {"results": results, "refusals": refusals}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url")
    parser.add_argument("bodies", type=Path)
    parser.add_argument("result", type=Path)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    lines = [line for line in args.bodies.read_text().splitlines() if line.strip()]
    nullifiers = [json.loads(line)["publicSignals"][1] for line in lines]
    bodies = [line.encode() for line in lines]
    try:
        import uvloop

        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    print("ready", flush=True)
    input()  # the benchmark says when to start, once its own clocks run
    started = resource.getrusage(resource.RUSAGE_SELF)
    outcome = runner(_run(args.url, bodies, nullifiers, args.connections))
    ended = resource.getrusage(resource.RUSAGE_SELF)
    outcome["cpu_seconds"] = (ended.ru_utime + ended.ru_stime) - (
        started.ru_utime + started.ru_stime
    )
    args.result.write_text(json.dumps(outcome))


if __name__ == "__main__":
    main()
