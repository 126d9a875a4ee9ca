"""A proof bundle (S10): the dossiers de preuve of a selection — say every signed file of one building — in one
zip, with a CSV index naming each by lot and party.

Streamed: the zip is written to the target file one member at a time (zipfile on the open file), each member
read from the archive, written, then dropped; the selection is read CHUNK files at a time (models, lots,
parties, audit lines in one read each); the index rows go to a temporary file and are copied in last. Memory
is one chunk plus zipfile's central directory (one small ZipInfo per member, written at the end: the one
part that grows with the selection), whatever the files weigh (bench/bench_proof_bundle.py measures it). The file is written under a temporary name and
linked to the target when whole: never over an existing file, never half a bundle at the target.

A batch (BatchProgressScreen, `Collector`): per chunk, the audit trails not yet kept are fetched (bounded
concurrency), then written; one result per file. A file not signed, or whose trail the provider
did not give, is left out and says why; Escape stops after the current file and the bundle holds those done.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import os
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
from lsc_tui.services.errors import ServiceError

CONCURRENCY = 4
CHUNK = 200
"""Files read at once (their models, events, parties and audit lines): what bounds the memory."""
MODE = 0o640
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


def names(ctx: AppContext, requests: list[SignatureRequest], used: set[str]) -> dict[str, Named]:
    """Lot (from the file's event) and party (its first signer on file as a party, else its first signer);
    `used`: the folder names already in the bundle (none is used twice)."""
    events = ctx.repos.events.get_many(list({r.event_id for r in requests if r.event_id}))
    party_ids = list({next((s.party_id for s in r.signers if s.party_id), "") for r in requests} - {""})
    parties = ctx.repos.parties.get_many(party_ids)
    out: dict[str, Named] = {}
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
        parts = (_slug(f"lot {lot}") if lot else "", _slug(party), _slug(r.reference or r.id))
        stem = "_".join(p for p in parts if p) or r.id
        folder, n = stem, 2
        while folder in used:  # a folder name is never reused
            folder, n = f"{stem}-{n}", n + 1
        used.add(folder)
        out[r.id] = Named(r.id, lot, party, folder + "/")
    return out


class _Bundle:
    """The zip being written under a temporary name beside the target, and its index in a temporary file."""

    def __init__(self, ctx: AppContext, path: Path) -> None:
        self.ctx = ctx
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            fd = os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, MODE)
        except OSError as exc:
            raise ServiceError(
                f"Impossible d'écrire dans {path.parent} ({exc.strerror}) : choisissez un autre dossier."
            ) from exc
        os.fchmod(fd, MODE)
        self.out = os.fdopen(fd, "wb")
        self.archive = zipfile.ZipFile(self.out, "w")
        self.index = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by close/abort)
        self.rows = csv.writer(self.index, delimiter=";")
        self.rows.writerow(INDEX_HEADER)
        self.used: set[str] = set()
        self.included: list[str] = []

    def add(self, requests: list[SignatureRequest], tracker: Tracker) -> None:
        named = names(self.ctx, requests, self.used)
        audit = self.ctx.repos.audit.for_records([r.id for r in requests])
        for r in requests:
            if tracker.cancelled:
                return
            n = named[r.id]
            try:
                signature_proof.add_members(self.archive, n.folder, self.ctx, r, audit.get(r.id, []))
            except ExplainedError as exc:  # e.g. a signed PDF altered on disk: left out, said
                tracker.add(ItemResult(r.id, r.title, False, exc.message))
                continue
            self.rows.writerow([exports.cell(v) for v in (n.lot, n.party, r.title, r.reference, r.provider,
                                                          r.signed_at[:10], n.folder, r.signed_sha256)])  # fmt: skip
            self.included.append(r.id)
            tracker.add(ItemResult(r.id, r.title, True, n.folder.rstrip("/")))

    def close(self) -> None:
        """The index last, then the zip linked to the target (never over a file that appeared meanwhile)."""
        self.index.flush()
        self.index.seek(0)
        with (
            self.archive.open(INDEX, "w") as member,
            io.TextIOWrapper(member, "utf-8-sig", newline="") as text,
        ):
            shutil.copyfileobj(self.index, text)
        self.archive.close()
        self.out.flush()
        os.fsync(self.out.fileno())
        self.out.close()
        self.index.close()
        try:
            os.link(self.temporary, self.path)
        except FileExistsError as exc:
            raise ServiceError(
                f"Le fichier {self.path} est apparu entre-temps : rien n'est remplacé."
            ) from exc
        except OSError as exc:
            raise ServiceError(f"Impossible d'écrire {self.path} ({exc.strerror}).") from exc
        finally:
            with contextlib.suppress(OSError):
                self.temporary.unlink()
        with self.ctx.write() as w:  # one line per file in the bundle, one transaction for the batch
            for request_id in self.included:
                self.ctx.audit(w, "signature.preuve.lot", w.signatures, request_id, self.path.name)

    def abort(self) -> None:
        for closing in (self.archive.close, self.out.close, self.index.close, self.temporary.unlink):
            with contextlib.suppress(Exception):
                closing()


def _load(ctx: AppContext, ids: list[str], tracker: Tracker) -> list[SignatureRequest]:
    """One chunk of the selection, in its order; the files that cannot have a proof say why."""
    found = ctx.repos.signatures.get_many(ids)
    ready: list[SignatureRequest] = []
    for request_id in ids:
        r = found.get(request_id)
        if r is None:
            tracker.add(ItemResult(request_id, request_id, False, "fiche introuvable (supprimée ?)"))
        elif r.status is not SignatureStatus.SIGNED or not r.signed_pdf_path:
            tracker.add(
                ItemResult(r.id, r.title, False, f"« {r.status.label} » : pas de preuve avant la signature")
            )
        else:
            ready.append(r)
    return ready


async def write_bundle(
    ctx: AppContext, request_ids: list[str], target: str, progress: Progress
) -> BatchReport:
    """Write the bundle of the selection at `target` (never over a file); one result per file. The selection
    is read CHUNK files at a time: memory does not grow with it."""
    path = signature_proof.checked_target(target)
    ids = list(dict.fromkeys(request_ids))
    tracker = Tracker(progress, len(ids))
    bundle = await asyncio.to_thread(_Bundle, ctx, path)
    try:
        for start in range(0, len(ids), CHUNK):
            if tracker.cancelled:
                break
            ready = await asyncio.to_thread(_load, ctx, ids[start : start + CHUNK], tracker)
            ready = await _with_trails(ctx, ready, tracker)
            await asyncio.to_thread(bundle.add, ready, tracker)
        if bundle.included:
            await asyncio.to_thread(bundle.close)
        else:
            await asyncio.to_thread(bundle.abort)
    except BaseException:
        await asyncio.to_thread(bundle.abort)
        raise
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
