"""Dossier de preuve (S10) against the sandbox over real HTTP: files sent, signed at YouSign, synced; the proof
zip opened and its hashes checked; never written over a file; filed on a party; a bundle of a selection with
its index by lot and party, a file not signed left out and saying why."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from lsc_tui.documents.archive import read_file
from lsc_tui.services import history, proof_bundle, signature_proof, signature_sync
from lsc_tui.services.batches import Collector
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from tests.conftest import ServedSandbox
from tests.integration.followup_kit import remote, run, send, sign_all
from tests.integration.signature_flow_kit import wired


def signed(ctx: AppContext, sandbox: ServedSandbox, count: int) -> list[str]:
    ids = send(ctx, count)
    for request_id in ids:
        sign_all(sandbox, remote(ctx, sandbox, request_id))
    asyncio.run(run(ctx, signature_sync.sync))
    return ids


def check_members(archive: zipfile.ZipFile, folder: str, ctx: AppContext, request_id: str) -> None:
    """The signed PDF byte for byte, and every hash the zip states true."""
    request = ctx.repos.signatures.require(request_id)
    pdf = archive.read(f"{folder}document-signe.pdf")
    assert pdf == read_file(ctx.data_dir, request.signed_pdf_path)
    assert hashlib.sha256(pdf).hexdigest() == request.signed_sha256
    sums = archive.read(f"{folder}SHA256SUMS").decode().splitlines()
    assert [line.split("  ")[1] for line in sums] == [
        "document-signe.pdf",
        "piste-d-audit.pdf",
        "journal.json",
    ]
    for line in sums:
        digest, name = line.split("  ")
        assert hashlib.sha256(archive.read(folder + name)).hexdigest() == digest
    manifest = json.loads(archive.read(f"{folder}manifest.json"))
    assert manifest["fiche"]["reference"] == request.reference
    assert {m["nom"]: m["sha256"] for m in manifest["membres"]} == {
        name: digest for digest, name in (line.split("  ") for line in sums)
    }
    assert archive.read(f"{folder}piste-d-audit.pdf").startswith(b"%PDF")
    journal = json.loads(archive.read(f"{folder}journal.json"))
    assert {"signature.envoi", "signature.signed"} <= {e["action"] for e in journal}


def test_proof_zip_saved_once_with_true_hashes(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    [request_id] = signed(ctx, sandbox, 1)
    target = tmp_path / "preuve.zip"

    saved = asyncio.run(run(ctx, signature_proof.save_proof, request_id, str(target)))

    assert saved == target and stat.S_IMODE(target.stat().st_mode) == 0o640
    with zipfile.ZipFile(target) as archive:
        check_members(archive, "", ctx, request_id)
    request = ctx.repos.signatures.require(request_id)
    assert request.proof_path and read_file(ctx.data_dir, request.proof_path, sha256=request.proof_sha256)
    before = target.read_bytes()
    with pytest.raises(ServiceError, match="existe déjà"):
        asyncio.run(run(ctx, signature_proof.save_proof, request_id, str(target)))
    assert target.read_bytes() == before and not list(tmp_path.glob(".preuve.zip*"))


def test_no_proof_before_signature_and_filed_on_a_party(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    [pending] = send(ctx, 1)
    with pytest.raises(ServiceError, match="une fois la fiche signée"):
        asyncio.run(run(ctx, signature_proof.save_proof, pending, str(tmp_path / "x.zip")))
    [request_id] = signed(ctx, sandbox, 1)
    [(party_id, name)] = signature_proof.parties_of(ctx, request_id)
    assert name.startswith("LOCATAIRE")

    document = asyncio.run(run(ctx, signature_proof.file_on_party, request_id, party_id))

    data = read_file(ctx.data_dir, document.path, sha256=document.sha256)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_members(archive, "", ctx, request_id)
    entries = history.of_party(ctx, party_id).entries
    assert [e.kind for e in entries].count("document") == 1
    assert next(e for e in entries if e.kind == "document").title.startswith("Dossier de preuve")


def test_bundle_of_a_selection_with_its_index(tmp_path: Path, sandbox: ServedSandbox) -> None:
    ctx = wired(tmp_path, sandbox)
    ids = signed(ctx, sandbox, 3)
    [pending] = send(ctx, 1)
    files = ctx.repos.signatures.get_many(ids)
    with ctx.write() as w:  # the building's lots
        for n, request_id in enumerate(ids):
            event = w.events.require(files[request_id].event_id)
            w.events.change(event.id, {"lot": f"B{n + 1}"}, expect_rev=event.rev)
    target = tmp_path / "immeuble.zip"

    collector = Collector()
    report = asyncio.run(run(ctx, proof_bundle.write_bundle, [*ids, pending], str(target), collector))

    assert report.total == 4 and report.succeeded == 3
    [refused] = report.failed
    assert refused.key == pending and "Attente signature" in refused.message
    with zipfile.ZipFile(target) as archive:
        index = list(csv.reader(io.StringIO(archive.read("index.csv").decode("utf-8-sig")), delimiter=";"))
        assert index[0][:2] == ["Lot", "Tiers"] and len(index) == 4
        for row in index[1:]:
            request = next(r for r in files.values() if r.reference == row[3])
            assert row[0] in {"B1", "B2", "B3"} and "locataire" in row[1].lower()  # the party by name
            assert row[6].startswith(f"lot-{row[0]}_") and row[7] == request.signed_sha256
            check_members(archive, row[6], ctx, request.id)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
