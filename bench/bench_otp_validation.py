"""End-of-day OTP batch (MISSION L8) at scale: one auth_otp + validating N `to_valid` letters over real HTTP.

The sandbox runs in its own process (uvicorn on 127.0.0.1, like AR24 on another machine) with an injected
latency per request (default 20 ms). Letters are seeded through the sandbox's `/_sandbox/mails` control route,
which is never delayed (not timed). Figures printed for each concurrency C:
- wall: measured time of auth_otp + validate(N), median of 3, and the client's CPU over that span;
- ideal: latency × (1 + validate_calls / C) — the auth call is sequential, the chunks run C at a time;
- CPU floor: client and sandbox share this machine's cores, so the batch cannot end before both have done
  their work: calls × (client CPU + sandbox CPU per call), measured on a second sandbox with zero latency,
  same batch, same C; and the wall time of that zero-latency batch ("0-lat wall"): what the machine, shared
  with whatever else runs, allows at this moment;
- sequential: one call per letter, one at a time, the way a naive client would do it (extrapolated from a
  smaller run, said so in the output).
Target: wall ≤ 1.2 × max(ideal, CPU floor). The row marked « app » is the concurrency the app's AR24 client
uses (AR24_CONCURRENCY). Prints only; nothing is asserted.

Run: .venv/bin/python bench/bench_otp_validation.py [letters] [latency_ms] [concurrency ...]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass

import httpx
import pyotp
from served_sandbox import ServedSandbox

from lsc_tui.providers.ar24 import Ar24Client
from lsc_tui.providers.ar24_letters import balanced_chunks
from lsc_tui.providers.ar24_transport import AR24_CONCURRENCY
from lsc_tui.sandbox.core import load_accounts

# A batch lasts 0.1-0.3 s: medians of 3 moved with the host's two speeds (ratio 0.79-1.29 at C = 16).
REPEATS = 7
SEQUENTIAL_SAMPLE = 50


class Served(ServedSandbox):
    """The sandbox CLI in a child process, exposing the AR24 section of its accounts."""

    def __init__(self, latency_ms: float) -> None:
        accounts = load_accounts(None)
        super().__init__(accounts, latency_ms, "/ar24/_sandbox/outbox")
        self.accounts = accounts["ar24"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/ar24/api/"

    def seed(self, count: int) -> list[str]:
        """Fresh state with `count` eIDAS letters in to_valid, through the sandbox's control routes (untimed,
        never delayed by the injected latency)."""
        control = f"http://127.0.0.1:{self.port}/ar24/_sandbox/"
        httpx.post(control + "reset").raise_for_status()
        mails = [
            {
                "to_email": f"coproprietaire{n}@syndic-pro.example",
                "to_company": f"SCI Lot {n}",
                "dest_statut": "professionnel",
                "content": "Convocation à l'assemblée générale du 10 décembre",
                "ref_dossier": f"AG-2026-{n:05d}",
                "eidas": "1",
                "to_valid": "1",
            }
            for n in range(count)
        ]
        body = {"id_user": self.accounts["users"][0]["id"], "mails": mails}
        answer = httpx.post(control + "mails", json=body, timeout=60).json()
        assert not answer["errors"], answer["errors"][:3]
        return [str(i) for i in answer["ids"]]


@dataclass
class Run:
    wall: float  # auth_otp + validate, seconds
    cpu: float  # this process's CPU over the same span (the client's share)
    sandbox_cpu: float  # the sandbox process's CPU over the same span


async def batch(served: Served, ids: list[str], concurrency: int, chunk: int) -> Run:
    user = served.accounts["users"][0]
    client = Ar24Client(served.url, served.accounts["token"], served.accounts["private_key"],
                        concurrency=concurrency, validate_chunk=chunk)  # fmt: skip
    try:
        await client.test_access(str(user["id"]))  # warm-up: lazy imports, first connection
        started, cpu, sandbox = time.perf_counter(), time.process_time(), served.cpu_seconds()
        session = await client.auth_otp(str(user["id"]), pyotp.TOTP(user["otp_secret"]).now())
        results = await client.validate(str(user["id"]), ids, session)
        run = Run(time.perf_counter() - started, time.process_time() - cpu, served.cpu_seconds() - sandbox)
    finally:
        await client.aclose()
    failed = [r for r in results if not r.ok]
    if len(results) != len(ids) or failed:
        print(f"  !! {len(failed)} letters not validated out of {len(results)}")
    return run


async def round_trip(served: Served, count: int = 20) -> float:
    """Mean time of one signed call made alone: latency + this machine's own per-call cost (the floor)."""
    user = served.accounts["users"][0]
    client = Ar24Client(served.url, served.accounts["token"], served.accounts["private_key"])
    try:
        await client.test_access(str(user["id"]))
        started = time.perf_counter()
        for _ in range(count):
            await client.test_access(str(user["id"]))
        return (time.perf_counter() - started) / count
    finally:
        await client.aclose()


async def main(count: int, latency_ms: float, concurrencies: list[int], chunk: int = 25) -> None:
    latency = latency_ms / 1000
    with Served(latency_ms) as served, Served(0) as bare:
        rtt = await round_trip(served)
        calls = len(balanced_chunks([str(i) for i in range(count)], chunk))
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the run")
        print(
            f"OTP batch: auth_otp + validate {count} letters in to_valid ({calls} calls of ≤ {chunk} letters)"
        )
        print(
            f"latency injected per request: {latency_ms:.0f} ms; one signed call alone: {rtt * 1000:.1f} ms"
        )
        print("ideal = latency × (1 + calls / C)   [auth_otp first, then the chunks C at a time]")
        print("CPU floor = (1 + calls) × (client + sandbox CPU per call, measured at zero latency)")
        print(f"{'C':>4} {'wall':>8} {'ideal':>8} {'CPU floor':>10} {'wall/max':>9} {'0-lat wall':>11} {'wall/max':>9}"
              f" {'client CPU/call':>16} {'sandbox CPU/call':>17}   runs (ms)")  # fmt: skip
        for concurrency in concurrencies:
            runs, cpu_runs = [], []
            for _ in range(REPEATS):
                cpu_runs.append(await batch(bare, bare.seed(count), concurrency, chunk))
                runs.append(await batch(served, served.seed(count), concurrency, chunk))
            wall = statistics.median(r.wall for r in runs)
            client = statistics.median(r.cpu for r in cpu_runs) / (1 + calls)
            sandbox = statistics.median(r.sandbox_cpu for r in cpu_runs) / (1 + calls)
            ideal = latency * (1 + calls / concurrency)
            floor = (1 + calls) * (client + sandbox)
            bare_wall = statistics.median(r.wall for r in cpu_runs)
            print(
                f"{concurrency:>4} {wall * 1000:>5.0f} ms {ideal * 1000:>5.0f} ms {floor * 1000:>7.0f} ms "
                f"{wall / max(ideal, floor):>9.2f} {bare_wall * 1000:>8.0f} ms {wall / max(ideal, bare_wall):>9.2f} "
                f"{client * 1000:>13.2f} ms {sandbox * 1000:>14.2f} ms   "
                + " ".join(f"{r.wall * 1000:.0f}" for r in runs)
                + ("   app" if concurrency == AR24_CONCURRENCY else "")
            )
        sample = (await batch(served, served.seed(SEQUENTIAL_SAMPLE), concurrency=1, chunk=1)).wall
        per_call = sample / (SEQUENTIAL_SAMPLE + 1)
        print(
            f"sequential, one call per letter (C=1): measured {sample * 1000:.0f} ms for {SEQUENTIAL_SAMPLE} letters "
            f"({per_call * 1000:.1f} ms/call) → ≈ {per_call * (count + 1):.1f} s for {count} letters (extrapolated)"
        )
        print(f"load average {os.getloadavg()[0]:.2f} after the run")


if __name__ == "__main__":
    args = sys.argv[1:]
    n_letters = int(args[0]) if args else 1000
    latency = float(args[1]) if len(args) > 1 else 20.0
    levels = [int(a) for a in args[2:]] or [4, 8, 16]
    asyncio.run(main(n_letters, latency, levels))
