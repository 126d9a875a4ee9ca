"""Proof bundle (S10): the dossiers de preuve of N signed files in one zip, through the service « Dossier de
preuve des fiches cochées » runs (`proof_bundle.write_bundle`), on a real store.

    .venv/bin/python bench/bench_proof_bundle.py [--sizes 250,500,1000] [--pdf-kb 100]

Each size runs in a child process of its own (a fresh interpreter: its peak resident size is its own). The
child makes N signed files (a signed PDF of ~pdf-kb KB each and a ~20 KB audit trail, kept beside the store
with their hashes, 3 audit lines per file, an event with its lot), then times the bundle and measures its
memory: tracemalloc's peak of Python allocations during the bundle only, and ru_maxrss of the child after it
(setup included). Prints only.

Reading the figures: streaming shows as a peak that does not follow the bytes written — the same peak for
1,000 files at 100 KB (125 MB zip) and at 400 KB (432 MB zip, `--sizes 1000 --pdf-kb 400`). What grows with N
is zipfile's central directory (a ZipInfo and its name per member, 5 members a file, written at the end of
the zip) and the per-file results the progress screen lists: about 2.6 KB a file.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lsc_tui.documents.archive import store_file  # noqa: E402
from lsc_tui.domain.models import Event, SignatureRequest, Signer  # noqa: E402
from lsc_tui.domain.roles import Role  # noqa: E402
from lsc_tui.domain.statuses import SignatureStatus  # noqa: E402
from lsc_tui.services import proof_bundle  # noqa: E402
from lsc_tui.services.batches import Collector  # noqa: E402
from lsc_tui.store.repositories.audit import AuditEntry  # noqa: E402
from tests.fixtures import context, seeded_store  # noqa: E402


def make_files(ctx, n: int, pdf_kb: int) -> list[str]:  # type: ignore[no-untyped-def]
    """N signed files, as a sync leaves them once the signed PDF and the audit trail are kept."""
    party = ctx.repos.parties.all()[0]
    entity = ctx.repos.entities.all()[0]
    template = ctx.repos.templates.all()[0]
    now = ctx.now_iso()
    with ctx.write() as w:
        events = w.events.insert_many(
            [Event(entity.id, template.id, f"Bail lot {i}", now, lot=f"{i % 120 + 1}", entity_name=entity.name)
             for i in range(n)]
        )  # fmt: skip
    requests = []
    for i, event in enumerate(events):
        signed = store_file(
            ctx.data_dir, "signatures", f"bench-{i}-signe", b"%PDF-1.7\n%" + os.urandom(pdf_kb * 1024)
        )
        trail = store_file(
            ctx.data_dir, "proofs", f"bench-{i}-preuve", b"%PDF-1.7\n%" + os.urandom(20 * 1024)
        )
        signer = Signer(Role.TENANT, party.last_name, party.first_name, party.email, party.mobile, party.id,
                        remote_id=f"signer-{i}", status="signed")  # fmt: skip
        requests.append(
            SignatureRequest(
                event.id,
                entity.id,
                event.title,
                now,
                created_by="claire",
                status=SignatureStatus.SIGNED,
                signers=(signer,),
                reference=f"lsc-bench-{i:06d}",
                remote_id=f"sr-{i}",
                sent_at=now,
                signed_at=now,
                entity_name=entity.name,
                signed_pdf_path=signed.path,
                signed_sha256=signed.sha256,
                received_at=now,
                proof_path=trail.path,
                proof_sha256=trail.sha256,
            )
        )
    with ctx.write() as w:
        saved = w.signatures.insert_many(requests)
        for r in saved:
            for action in ("signature.creer", "signature.envoyee", "signature.signed"):
                w.audit.append(AuditEntry(now, "claire", action, "signature_requests", r.id, r.reference))
    return [r.id for r in saved]


def child(n: int, pdf_kb: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = context(seeded_store(Path(tmp) / "data"))
        started = time.perf_counter()
        ids = make_files(ctx, n, pdf_kb)
        setup = time.perf_counter() - started
        target = Path(tmp) / "bundle.zip"
        tracemalloc.start()
        started = time.perf_counter()
        report = asyncio.run(proof_bundle.write_bundle(ctx, ids, str(target), Collector()))
        wall = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert report.all_ok, report.summary("fiche")
        with zipfile.ZipFile(target) as archive:
            members = len(archive.infolist())
        return {
            "n": n,
            "setup_s": setup,
            "wall_s": wall,
            "per_file_ms": wall / n * 1000,
            "zip_mb": target.stat().st_size / 1e6,
            "members": members,
            "peak_mb": peak / 1e6,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="250,500,1000")
    parser.add_argument("--pdf-kb", type=int, default=100)
    parser.add_argument("--child", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.pdf_kb)))
        return
    print(
        f"proof bundle, signed PDF ~{args.pdf_kb} KB + audit trail ~20 KB per file (one child process per size)"
    )
    print(f"{'files':>6} {'setup s':>8} {'bundle s':>9} {'ms/file':>8} {'zip MB':>8} {'members':>8} "
          f"{'peak MB (tracemalloc)':>22} {'maxrss MB':>10}")  # fmt: skip
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--pdf-kb", str(args.pdf_kb)],
                             check=True, capture_output=True, text=True).stdout  # fmt: skip
        r = json.loads(out.strip().splitlines()[-1])
        print(f"{r['n']:>6} {r['setup_s']:>8.1f} {r['wall_s']:>9.2f} {r['per_file_ms']:>8.2f} {r['zip_mb']:>8.1f} "
              f"{r['members']:>8} {r['peak_mb']:>22.2f} {r['maxrss_mb']:>10.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
