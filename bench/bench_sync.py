""" "Récupérer les signatures du nuage" (MISSION S7) against the YouSign sandbox: what a sync of N pending files
with k changed costs, in HTTP calls counted on the wire and in time, next to asking for each file.

The sandbox runs in its own process with an injected latency per request (default 20 ms). N requests are
sent first (untimed), then k of them change through the sandbox's control routes (a third declined, the rest
signed). Figures printed:
- per file: `status()` for each of the N files (2 calls each: the request and its signers), C at a time;
- first sync: `changes(None)`, everything listed and reported once (pages of 100, declined ones read again);
- next sync: `changes(cursor)` after the k changes: the listing pages plus the declined requests;
- quiet sync: `changes(cursor)` again with nothing changed.
The bound the provider package promises: next sync ≤ k + listing pages. Prints only; nothing is asserted.

Run: .venv/bin/python bench/bench_sync.py [files] [changed] [latency_ms]
"""

from __future__ import annotations

import asyncio
import math
import sys
import time

import httpx
from bench_signatures import CountingTransport, Served, lease_pdf, orders

from lsc_tui.providers.yousign import YouSignClient

CONCURRENCY = 8


async def seed(served: Served, files: int) -> list[tuple[str, str]]:
    """Send `files` requests; (request id, signer id) of each."""
    client = served.yousign(CONCURRENCY, CountingTransport())
    try:
        sent = await asyncio.gather(*(client.send(o) for o in orders("sync", files, lease_pdf())))
    finally:
        await client.aclose()
    return [(s.remote_id, s.signers[0].remote_id) for s in sent]


def change(served: Served, ids: list[tuple[str, str]], changed: int) -> int:
    """Sign or decline the first `changed` requests as their signers would; returns how many declined."""
    declined = 0
    with httpx.Client(base_url=f"{served.base}/yousign/_sandbox/signature_requests", timeout=30) as http:
        for n, (sr_id, signer_id) in enumerate(ids[:changed]):
            action = "decline" if n % 3 == 0 else "sign"
            declined += action == "decline"
            http.post(
                f"/{sr_id}/signers/{signer_id}/{action}", json={"reason": "Loyer erroné."}
            ).raise_for_status()
    return declined


async def timed(
    client: YouSignClient, transport: CountingTransport, work: object
) -> tuple[float, int, object]:
    before, start = transport.requests, time.perf_counter()
    result = await work  # type: ignore[misc]
    return time.perf_counter() - start, transport.requests - before, result


async def run(served: Served, files: int, changed: int) -> None:
    ids = await seed(served, files)
    transport = CountingTransport()
    client = served.yousign(CONCURRENCY, transport)
    try:
        wall, calls, _ = await timed(client, transport, asyncio.gather(*(client.status(i) for i, _ in ids)))
        print(f"per file   : {calls:>5} calls {wall:>7.2f} s   ({files} × status(), C={CONCURRENCY})")
        wall, calls, result = await timed(client, transport, client.changes(None))
        reported, cursor = result  # type: ignore[misc]
        print(f"first sync : {calls:>5} calls {wall:>7.2f} s   ({len(reported)} reported)")
        declined = change(served, ids, changed)
        wall, calls, result = await timed(client, transport, client.changes(cursor))
        reported, cursor = result  # type: ignore[misc]
        pages = math.ceil(files / client.page_size)
        print(
            f"next sync  : {calls:>5} calls {wall:>7.2f} s   ({len(reported)} reported, {declined} declined; "
            f"bound k + pages = {changed} + {pages} = {changed + pages})"
        )
        wall, calls, result = await timed(client, transport, client.changes(cursor))
        print(f"quiet sync : {calls:>5} calls {wall:>7.2f} s   ({len(result[0])} reported)")  # type: ignore[index]
    finally:
        await client.aclose()


def main(argv: list[str]) -> None:
    files = int(argv[0]) if argv else 1000
    changed = int(argv[1]) if len(argv) > 1 else 50
    latency_ms = float(argv[2]) if len(argv) > 2 else 20.0
    with Served(latency_ms) as served:
        print(
            f"YouSign sandbox, {files} pending files, {changed} changed, latency {latency_ms:.0f} ms per request"
        )
        asyncio.run(run(served, files, changed))


if __name__ == "__main__":
    main(sys.argv[1:])
