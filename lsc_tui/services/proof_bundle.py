"""A proof bundle (S10): the dossiers de preuve of a selection — say every signed file of one building — in one
zip, with a CSV index naming each by lot and party.

Streamed: the zip is written to the target file one member at a time (zipfile on the open file), each member
read from the archive, written, then dropped; the index rows go to a temporary file and are copied in last.
Memory stays that of one signature file plus the zip's directory (a few hundred bytes a member), whatever
the selection holds (bench/bench_proof_bundle.py measures it). The file is written under a temporary name and
linked to the target when whole: never over an existing file, never half a bundle at the target.

A batch (BatchProgressScreen, `Collector`): the audit trails not yet kept are fetched first (bounded
concurrency), then the zip is written; one result per file. A file not signed, or whose trail the provider
did not give, is left out and says why; Escape stops after the current file and the bundle holds those done.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import exports, signature_proof
from lsc_tui.services.batches import BatchReport, ItemResult, Progress, Tracker
from lsc_tui.services.context import AppContext

CONCURRENCY = 4
INDEX = "index.csv"
INDEX_HEADER = ("Lot", "Tiers", "Fiche signature", "Référence", "Prestataire", "Signée le", "Dossier",
                "SHA-256 du document signé")  # fmt: skip
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


@dataclass(frozen=True)
class Named:
    """Where one file goes in the bundle and how the index names it."""

    request_id: str
    lot: str
    party: str
    folder: str


def _slug(text: str, limit: int = 40) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_text).strip("-")[:limit].strip("-")


def names(ctx: AppContext, requests: list[SignatureRequest]) -> dict[str, Named]:
    """Lot (from the file's event) and party (its first signer on file as a party, else its first signer)."""
    events = ctx.repos.events.get_many(list({r.event_id for r in requests if r.event_id}))
    party_ids = list({next((s.party_id for s in r.signers if s.party_id), "") for r in requests} - {""})
    parties = ctx.repos.parties.get_many(party_ids)
    out: dict[str, Named] = {}
    used: set[str] = set()
    for r in requests:
        event = events.get(r.event_id)
        lot = event.lot if event is not None else ""
        first = next((s for s in r.signers if s.party_id in parties), r.signers[0] if r.signers else None)
        if first is not None and first.party_id in parties:
            party = parties[first.party_id].display_name
        elif first is not None:
            party = f"{first.first_name} {first.last_name.upper()}".strip()
        else:
            party = ""
        stem = "_".join(
            p for p in (_slug(f"lot {lot}") if lot else "", _slug(party), _slug(r.reference or r.id)) if p
        )
        folder, n = stem or r.id, 2
        while folder in used:  # two files of one reference cannot exist, but a folder name is never reused
            folder, n = f"{stem}-{n}", n + 1
        used.add(folder)
        out[r.id] = Named(r.id, lot, party, folder + "/")
    return out


async def write_bundle(
    ctx: AppContext, request_ids: list[str], target: str, progress: Progress
) -> BatchReport:
    """Write the bundle of the selection at `target` (never over a file); one result per file."""
    path = signature_proof.checked_target(target)
    found = await asyncio.to_thread(ctx.repos.signatures.get_many, list(dict.fromkeys(request_ids)))
    requests = [found[i] for i in dict.fromkeys(request_ids) if i in found]
    tracker = Tracker(progress, len(requests))
    ready: list[SignatureRequest] = []
    for r in requests:
        if r.status is not SignatureStatus.SIGNED or not r.signed_pdf_path:
            tracker.add(
                ItemResult(r.id, r.title, False, f"« {r.status.label} » : pas de preuve avant la signature")
            )
        else:
            ready.append(r)
    ready = await _with_trails(ctx, ready, tracker)
    if not ready:
        return tracker.close()
    named = await asyncio.to_thread(names, ctx, ready)
    await asyncio.to_thread(_write, ctx, ready, named, path, tracker)
    return tracker.close()


async def _with_trails(
    ctx: AppContext, requests: list[SignatureRequest], tracker: Tracker
) -> list[SignatureRequest]:
    """The files with their audit trail kept (fetched now when missing); those the provider refused say why."""
    gate = asyncio.Semaphore(CONCURRENCY)
    kept: dict[str, SignatureRequest] = {}

    async def one(r: SignatureRequest) -> None:
        if r.proof_path:
            kept[r.id] = r
            return
        async with gate:
            if tracker.cancelled:
                return
            try:
                kept[r.id] = await signature_proof.ensure_trail(ctx, r)
            except ExplainedError as exc:
                tracker.add(ItemResult(r.id, r.title, False, f"piste d'audit non obtenue : {exc.message}"))

    await asyncio.gather(*(one(r) for r in requests))
    return [kept[r.id] for r in requests if r.id in kept]


def _write(ctx: AppContext, requests: list[SignatureRequest], named: dict[str, Named], path: Path,
           tracker: Tracker) -> None:  # fmt: skip
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as index,
        signature_proof.new_file(path) as out,
        zipfile.ZipFile(out, "w") as archive,
    ):
        rows = csv.writer(index, delimiter=";")
        rows.writerow(INDEX_HEADER)
        included: list[str] = []
        for r in requests:
            if tracker.cancelled:
                break
            n = named[r.id]
            try:
                signature_proof.add_members(archive, n.folder, ctx, r)
            except ExplainedError as exc:  # e.g. a signed PDF altered on disk: left out, said
                tracker.add(ItemResult(r.id, r.title, False, exc.message))
                continue
            rows.writerow([exports.cell(v) for v in (n.lot, n.party, r.title, r.reference, r.provider,
                                                     r.signed_at[:10], n.folder, r.signed_sha256)])  # fmt: skip
            included.append(r.id)
            tracker.add(ItemResult(r.id, r.title, True, n.folder.rstrip("/")))
        index.flush()
        index.seek(0)
        with archive.open(INDEX, "w") as member, io.TextIOWrapper(member, "utf-8-sig", newline="") as text:
            shutil.copyfileobj(index, text)
    with ctx.write() as w:  # one line per file in the bundle, one transaction for the batch
        for request_id in included:
            ctx.audit(w, "signature.preuve.lot", w.signatures, request_id, path.name)
