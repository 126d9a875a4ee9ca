"""The signature workflow end to end, through the services and a real store, against the YouSign sandbox served
in its own process with an injected latency per request (default 20 ms). Figures printed:

- send N files (`signature_send.send_requests`, as « Envoyer » runs it): wall time, HTTP calls counted on the
  wire, ideal = calls × latency / C (C = files in flight, each file's calls one after the other), ratio;
- sync M pending files of which 10 % changed (`signature_sync.sync`, as F5 and `lsc-tui sync` run it): wall,
  calls (bound: changed files + listing pages), ideal = listing pages × latency (one after the other: a
  cursor) + the other calls × latency / C, ratio (the sync downloads a signed PDF as soon as the page that
  reports it arrives, so it can beat this ideal, which adds the pages and the downloads);
- beside both, the CPU floor: CPU spent by this process and the sandbox's during the batch (they share the
  machine's cores), and wall / max(ideal, floor), the measure the provider batches use (bench/README.md);
- the same M files, 10 % more changed, through webhooks (`lsc-tui webhooks serve` in this process): how long
  after the last change at the provider every change is applied, and the whole run;
- the Signatures list at 100,000 files: listing, first window of rows, and a filter keystroke;
- with LSC_TUI_BENCH_PG=<libpq URL of an empty database>: the same list at 1,000,000 files on PostgreSQL.
Prints only; nothing is asserted.

Run: .venv/bin/python bench/bench_signature_flow.py [files_to_send] [pending] [latency_ms]
"""

from __future__ import annotations

import asyncio
import dataclasses
import math
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from bench_signatures import CountingTransport, Served

from lsc_tui.config import secrets_for
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.factory import build_providers
from lsc_tui.services import signature_prepare, signature_send, signature_sync, signatures
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.demo import seed
from lsc_tui.services.webhook_server import create_app
from lsc_tui.store import open_store
from tests.fixtures import FIXED_NOW, context, seeded_store
from tests.integration.signature_flow_kit import make_events

CHANGED = 0.10


class Cpu:
    """CPU spent from now by this process (the app, its store threads) and the sandbox's process: the floor a
    batch cannot beat on a machine where both share the cores, whatever the latency."""

    def __init__(self, served: Served) -> None:
        self.served, self.mine, self.theirs = served, time.process_time(), served.cpu_seconds()

    def spent(self) -> float:
        return time.process_time() - self.mine + self.served.cpu_seconds() - self.theirs


def wire(served: Served, data: Path, transport: httpx.AsyncBaseTransport) -> AppContext:
    ctx = context(seeded_store(data))
    key = next(k for k, v in served.accounts["yousign"]["api_keys"].items() if v["scope"] == "full")
    secrets = {"yousign": {"api_key": key, "base_url": f"{served.base}/yousign/v3"}}
    secrets_for(ctx.data_dir).write(secrets)
    ctx.providers = build_providers(secrets, transport)
    return ctx


async def send(ctx: AppContext, ids: list[str]) -> None:  # one event loop for the whole run: the clients' own
    report = await signature_send.send_requests(ctx, ids, Collector())
    assert report.all_ok, report.failed[:3]


def change(served: Served, ctx: AppContext, ids: list[str]) -> int:
    """Sign (two thirds) or decline (one third) each file as its signers would; returns how many declined."""
    declined = 0
    with httpx.Client(base_url=f"{served.base}/yousign/_sandbox/signature_requests", timeout=30) as http:
        for n, request_id in enumerate(ids):
            request = ctx.repos.signatures.require(request_id)
            if n % 3 == 0:
                declined += 1
                url = f"/{request.remote_id}/signers/{request.signers[0].remote_id}/decline"
                http.post(url, json={"reason": "Loyer erroné."}).raise_for_status()
                continue
            for signer in request.signers:
                http.post(f"/{request.remote_id}/signers/{signer.remote_id}/sign").raise_for_status()
    return declined


async def bench_send(
    served: Served, ctx: AppContext, transport: CountingTransport, count: int, latency: float
) -> list[str]:
    start = time.perf_counter()
    ids = signature_prepare.expedite(ctx, make_events(ctx, count)).ids
    prepared = time.perf_counter() - start
    before, start, cpu = transport.requests, time.perf_counter(), Cpu(served)
    await send(ctx, ids)
    wall, calls = time.perf_counter() - start, transport.requests - before
    ideal = calls * latency / signature_send.CONCURRENCY
    floor = cpu.spent()
    print(
        f"prepare {count} files (chrono, PDF, signers): {prepared:.2f} s ({prepared / count * 1000:.0f} ms/file)"
    )
    print(
        f"send    {count} files: {wall:6.2f} s   {calls:>5} calls   ideal {ideal:5.2f} s   ratio {wall / ideal:.2f}"
        f"   CPU floor {floor:5.2f} s   wall / max(ideal, floor) {wall / max(ideal, floor):.2f}"
    )
    return ids


async def bench_sync(
    served: Served, ctx: AppContext, transport: CountingTransport, ids: list[str], latency: float
) -> None:
    await signature_sync.sync(ctx)  # the cursor a daily sync starts from
    changed = ids[
        :: round(1 / CHANGED)
    ]  # one file in ten, spread over the listing's pages as days spread them
    declined = change(served, ctx, changed)
    before, start, cpu = transport.requests, time.perf_counter(), Cpu(served)
    report = await signature_sync.sync(ctx)
    wall, calls = time.perf_counter() - start, transport.requests - before
    floor = cpu.spent()
    pages = math.ceil(len(ids) / 100)
    ideal = pages * latency + (calls - pages) * latency / signature_sync.DOWNLOADS
    print(
        f"sync    {len(ids)} pending, {len(changed)} changed ({declined} declined): {wall:6.2f} s   {calls:>5} calls"
        f" (bound {len(changed)} + {pages} pages = {len(changed) + pages})   ideal {ideal:5.2f} s"
        f"   ratio {wall / ideal:.2f}   CPU floor {floor:.2f} s   applied {len(report.changes)}"
    )
    start = time.perf_counter()
    quiet = await signature_sync.sync(ctx)
    print(f"sync again: {time.perf_counter() - start:.2f} s, {len(quiet.changes)} changed")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def bench_webhooks(served: Served, ctx: AppContext, ids: list[str]) -> None:
    port = _port()
    hook = httpx.post(
        f"{served.base}/yousign/_sandbox/webhook", json={"url": f"http://127.0.0.1:{port}/yousign"}
    )
    secrets = secrets_for(ctx.data_dir).read()
    secrets["yousign"]["webhook_secret"] = hook.json()["subscription"]["secret"]
    secrets_for(ctx.data_dir).write(secrets)
    receiving = dataclasses.replace(ctx, providers=build_providers(secrets))
    app = create_app(receiving)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    pending = [i for i in ids if ctx.repos.signatures.require(i).status is SignatureStatus.PENDING]
    changed = pending[: round(len(ids) * CHANGED)]
    start = time.perf_counter()
    change(served, ctx, changed)
    last_change = time.perf_counter()
    while any(ctx.repos.signatures.require(i).status is SignatureStatus.PENDING for i in changed):
        await asyncio.sleep(0.01)
    done = time.perf_counter()
    print(
        f"webhooks: {len(changed)} changed; all applied {done - last_change:.2f} s after the last change"
        f" ({done - start:.2f} s from the first; {app.state.receiver.applied} events applied)"
    )
    server.should_exit = True


def bench_list(ctx: AppContext, size: int) -> None:
    base = ctx.repos.signatures.all()[0]
    with ctx.write() as w:
        w.signatures.insert_many(
            [
                base.evolve(id="", rev=0, title=f"{base.title} n° {n}", reference=f"bench-{n}")
                for n in range(size)
            ]
        )
    start = time.perf_counter()
    rows = signatures.rows(ctx)
    listed = time.perf_counter() - start
    rows[:40]
    first = time.perf_counter() - start
    rows.prepare()
    keys = []
    view = rows
    for text in ("l", "lo", "lot", "lot 1"):
        start = time.perf_counter()
        view = view.filter(text)
        view[:40]
        keys.append((time.perf_counter() - start) * 1000)
    print(
        f"list of {len(rows):,} files: listing {listed * 1000:.0f} ms, first 40 rows {first * 1000:.0f} ms;"
        f" filter keystrokes median {statistics.median(keys):.0f} ms, max {max(keys):.0f} ms"
    )


def bench_list_postgres(url: str, size: int) -> None:
    """1,000,000 files loaded by COPY, then what F6 does: the list, one status and entity, typed letters."""
    store = open_store(url, create=True)
    seed(store, FIXED_NOW)
    ctx = context(store)
    base = ctx.repos.signatures.all()
    start = time.perf_counter()
    for first in range(0, size, 20_000):
        batch = []
        for n in range(first, min(size, first + 20_000)):
            model = base[n % len(base)]
            record = model.evolve(title=f"{model.title} n° {n}", reference=f"pg-{n}").to_record()
            batch.append({**record, "id": f"S{n:07d}", "_rev": 1})
        store.import_records("signature_requests", batch)  # type: ignore[attr-defined]
    print(f"PostgreSQL: {size:,} files loaded in {time.perf_counter() - start:.0f} s")
    entity = base[0].entity_id
    for label, args in (("all", ()), ("status + entity", ("pending", entity))):
        start = time.perf_counter()
        rows = signatures.rows(ctx, *args)
        count = len(rows)
        rows[:40]
        print(f"  first paint ({label}): {(time.perf_counter() - start) * 1000:.0f} ms for {count:,} files")
    view = signatures.rows(ctx)
    keys = []
    for text in ("b", "ba", "bai", "bail", "bail l", "bail lot 2"):
        start = time.perf_counter()
        narrowed = view.filter(text)
        len(narrowed)
        narrowed[:40]
        keys.append((time.perf_counter() - start) * 1000)
    print(f"  filter keystrokes: median {statistics.median(keys):.0f} ms, max {max(keys):.0f} ms")
    store.close()


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 200
    pending = int(argv[1]) if len(argv) > 1 else 1000
    latency_ms = float(argv[2]) if len(argv) > 2 else 20.0
    with Served(latency_ms) as served, tempfile.TemporaryDirectory() as tmp:
        print(
            f"YouSign sandbox in its own process, {latency_ms:.0f} ms per request; C = {signature_send.CONCURRENCY}"
        )
        asyncio.run(run(served, Path(tmp), count, pending, latency_ms / 1000))


async def run(served: Served, tmp: Path, count: int, pending: int, latency: float) -> None:
    """One event loop for the whole run: the clients' connections belong to it."""
    transport = CountingTransport()
    ctx = wire(served, tmp / "data", transport)
    sent = await bench_send(served, ctx, transport, count, latency)
    more = signature_prepare.expedite(ctx, make_events(ctx, pending - count)).ids
    await send(ctx, more)
    await bench_sync(served, ctx, transport, sent + more, latency)
    await bench_webhooks(served, ctx, sent + more)
    await ctx.providers.aclose()
    bench_list(ctx, 100_000)
    if os.environ.get("LSC_TUI_BENCH_PG"):
        bench_list_postgres(os.environ["LSC_TUI_BENCH_PG"], 1_000_000)


if __name__ == "__main__":
    main(sys.argv[1:])
