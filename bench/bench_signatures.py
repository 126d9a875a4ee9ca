"""Sending a batch of signature files through YouSignClient and ESignClient, over real HTTP.

The sandbox runs in its own process (`python -m lsc_tui sandbox`, as a user would start it), with an injected
latency per request (default 20 ms, a round trip to a provider from a French office), so that its CPU does
not compete with the client's for this process's GIL. Figures printed per provider and concurrency C:
- wall: measured time to send N files (N `send` calls gathered, the client bounding in-flight requests to C);
- calls/send: HTTP requests actually made, counted on the wire (YouSign: look-up, create, upload, signer,
  activate; ESign: one multipart POST);
- ideal: N × calls/send × latency / C, i.e. the injected latency alone, perfectly overlapped;
- sequential: the same sends one at a time (C = 1), measured on a smaller batch and extrapolated to N;
- CPU floor: client and sandbox share this machine's cores, so a batch cannot end before both have done their
  work: N × calls/send × (client CPU + sandbox CPU per call), measured on a second sandbox with zero latency,
  same batch, same C; and the wall time of that zero-latency batch ("0-lat wall"): what the machine, shared
  with whatever else runs, allows at this moment. Each figure is the median of 3 runs.
Target: wall ≤ 1.2 × max(ideal, CPU floor). The row marked « app » is the concurrency the app's clients use
(SIGNATURE_CONCURRENCY). Prints only; nothing is asserted.

Run: .venv/bin/python bench/bench_signatures.py [files] [latency_ms] [concurrency ...]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from fpdf import FPDF
from served_sandbox import ServedSandbox

from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.base import Box, SignatureOrder, SignatureProvider, SignerSpec
from lsc_tui.providers.esign import ESignClient
from lsc_tui.providers.signing import SIGNATURE_CONCURRENCY
from lsc_tui.providers.yousign import YouSignClient
from lsc_tui.sandbox.core import load_accounts

SEQUENTIAL_SAMPLE = 20
REPEATS = 3


class Served(ServedSandbox):
    """The sandbox CLI in a child process, with ESign credits the benchmark cannot run out of."""

    def __init__(self, latency_ms: float) -> None:
        accounts = load_accounts(None)
        for account in accounts["esign"]["api_keys"].values():
            account["credits_left"] = 1_000_000
        super().__init__(accounts, latency_ms, "/esign/_sandbox/clock")
        self.accounts = accounts

    def yousign(self, concurrency: int, transport: httpx.AsyncBaseTransport) -> YouSignClient:
        key = next(k for k, v in self.accounts["yousign"]["api_keys"].items() if v["scope"] == "full")
        return YouSignClient(f"{self.base}/yousign/v3", key, transport=transport, concurrency=concurrency)

    def esign(self, concurrency: int, transport: httpx.AsyncBaseTransport) -> ESignClient:
        key = next(iter(self.accounts["esign"]["api_keys"]))
        return ESignClient(f"{self.base}/esign", key, transport=transport, concurrency=concurrency)


class CountingTransport(httpx.AsyncBaseTransport):
    """The real transport, counting the requests that go on the wire."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=64))
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def lease_pdf() -> bytes:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_font("helvetica", size=11)
    for page in range(1, 4):
        pdf.add_page()
        pdf.multi_cell(0, 14, f"Bail d'habitation, page {page}.\n" + "Clause type. " * 120)
    return bytes(pdf.output())


def orders(prefix: str, count: int, pdf: bytes) -> list[SignatureOrder]:
    box = Box(page=3, x=350, y=700, width=170, height=74)
    return [
        SignatureOrder(
            reference=f"{prefix}-{n:05d}",
            title=f"Bail lot {n}",
            pdf=pdf,
            filename=f"bail-{n}.pdf",
            signers=(SignerSpec("Léa", "Martin", f"locataire{n}@example.fr", "+33608904123", (box,)),),
        )
        for n in range(count)
    ]


async def send_all(client: SignatureProvider, batch: list[SignatureOrder]) -> tuple[float, int]:
    """(wall seconds, files that ended PENDING)."""
    start = time.perf_counter()
    results = await asyncio.gather(*(client.send(order) for order in batch), return_exceptions=True)
    wall = time.perf_counter() - start
    await client.aclose()
    pending = sum(
        1 for r in results if not isinstance(r, BaseException) and r.status is SignatureStatus.PENDING
    )
    return wall, pending


Factory = Callable[[Served], Callable[[int, httpx.AsyncBaseTransport], Any]]


@dataclass
class Run:
    wall: float
    calls: int
    pending: int
    client_cpu: float  # seconds, this process
    sandbox_cpu: float  # seconds, the sandbox process


def run(served: Served, factory: Factory, batch: list[SignatureOrder], concurrency: int) -> Run:
    transport = CountingTransport()
    client_cpu, sandbox_cpu = time.process_time(), served.cpu_seconds()
    wall, pending = asyncio.run(send_all(factory(served)(concurrency, transport), batch))
    return Run(wall, transport.requests, pending, time.process_time() - client_cpu,
               served.cpu_seconds() - sandbox_cpu)  # fmt: skip


def bench(
    served: Served,
    bare: Served,
    name: str,
    factory: Factory,
    files: int,
    latency_ms: float,
    concurrencies: list[int],
) -> None:
    pdf = lease_pdf()
    sample = run(served, factory, orders(f"{name}-seq", SEQUENTIAL_SAMPLE, pdf), 1)
    calls_per_send = sample.calls / SEQUENTIAL_SAMPLE
    sequential = sample.wall * files / SEQUENTIAL_SAMPLE
    print(
        f"\n{name}: {files} files, latency {latency_ms:.0f} ms, {calls_per_send:.1f} calls/send; "
        f"sequential (C=1) ≈ {sequential:.2f} s, extrapolated ×{files / SEQUENTIAL_SAMPLE:.0f} from "
        f"{sample.wall:.2f} s measured on {SEQUENTIAL_SAMPLE} files ({sample.wall / sample.calls * 1000:.1f} ms per call)"
    )
    print(f"  {'C':>3} {'wall s':>7} {'ideal s':>8} {'CPU floor':>10} {'wall/max':>9} {'0-lat wall':>11}"
          f" {'wall/max':>9} {'vs seq':>7} {'sent':>5} {'client CPU/call':>16} {'sandbox CPU/call':>17}")  # fmt: skip
    for concurrency in concurrencies:
        tag = f"{name}-c{concurrency}"
        cpu = [run(bare, factory, orders(f"{tag}-cpu{i}", files, pdf), concurrency) for i in range(REPEATS)]
        timed = [run(served, factory, orders(f"{tag}-{i}", files, pdf), concurrency) for i in range(REPEATS)]
        calls = statistics.median(r.calls for r in timed)
        client = statistics.median(r.client_cpu / r.calls for r in cpu)
        sandbox = statistics.median(r.sandbox_cpu / r.calls for r in cpu)
        wall = statistics.median(r.wall for r in timed)
        ideal = calls * latency_ms / 1000 / concurrency
        floor = calls * (client + sandbox)
        bare_wall = statistics.median(r.wall for r in cpu)
        print(
            f"  {concurrency:>3} {wall:>7.2f} {ideal:>8.2f} {floor:>10.2f} {wall / max(ideal, floor):>9.2f} "
            f"{bare_wall:>11.2f} {wall / max(ideal, bare_wall):>9.2f} "
            f"{sequential / wall:>6.1f}× {min(r.pending for r in timed):>5} {client * 1000:>10.2f} ms"
            f" {sandbox * 1000:>12.2f} ms" + ("   app" if concurrency == SIGNATURE_CONCURRENCY else "")
        )


def main(argv: list[str]) -> None:
    files = int(argv[0]) if argv else 200
    latency_ms = float(argv[1]) if len(argv) > 1 else 20.0
    concurrencies = [int(c) for c in argv[2:]] or [8, 16]
    with Served(latency_ms) as served, Served(0) as bare:
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the run")
        bench(served, bare, "YouSign", lambda s: s.yousign, files, latency_ms, concurrencies)
        bench(served, bare, "ESign", lambda s: s.esign, files, latency_ms, concurrencies)
        print(f"load average {os.getloadavg()[0]:.2f} after the run")


if __name__ == "__main__":
    main(sys.argv[1:])
