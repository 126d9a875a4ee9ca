"""« Expédier vers la signature électronique » (S1, E3) on the seeded agency, in a real store: one file per
event with its chrono, its PDF kept byte for byte, its signers resolved; running it again makes nothing twice."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from lsc_tui.documents.archive import read_file
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import signature_prepare, signature_settings
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import ANY_REV
from tests.fixtures import context, seeded_store


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    return context(seeded_store(tmp_path / "data"))


def event_id(ctx: AppContext, title_start: str) -> str:
    return next(e.id for e in ctx.repos.events.all() if e.title.startswith(title_start))


def test_the_co_tenancy_lease_becomes_one_file_with_its_chrono_pdf_and_six_signers(ctx: AppContext) -> None:
    lease = event_id(ctx, "Bail colocation")
    report = signature_prepare.expedite(ctx, [lease])
    [request] = report.files
    assert report.skipped == []
    event = ctx.repos.events.require(lease)
    assert event.chrono.startswith("2026-") and event.state == "signature"
    assert request.reference == f"lsc-{event.chrono}" and request.status is SignatureStatus.DRAFT
    assert request.entity_name == "Résidence Les Tilleuls" and request.provider == "yousign"
    data = read_file(ctx.data_dir, request.pdf_path, sha256=request.pdf_sha256)
    assert hashlib.sha256(data).hexdigest() == request.pdf_sha256 and len(request.pages) == 3
    assert event.chrono in PdfReader(io.BytesIO(data)).pages[0].extract_text()  # printed with its chrono
    assert [s.role for s in request.signers] == [Role.CO_TENANTS] * 3 + [Role.GUARANTORS] * 2 + [Role.MANAGER]
    assert request.signers[1].phone == "06 08 90 41 23"  # as on file: the pre-flight offers the fix
    audit = [a.action for a in ctx.repos.audit.for_record(request.id)]
    assert audit == ["signature.creer"]


def test_expediting_again_hands_back_the_same_file_and_numbers_nothing_twice(ctx: AppContext) -> None:
    lease = event_id(ctx, "Bail colocation")
    first = signature_prepare.expedite(ctx, [lease]).files[0]
    chrono = ctx.repos.events.require(lease).chrono
    again = signature_prepare.expedite(ctx, [lease, lease]).files
    assert [r.id for r in again] == [first.id]
    assert (
        ctx.repos.events.require(lease).chrono == chrono and len(ctx.repos.signatures.for_event(lease)) == 1
    )
    with ctx.write() as w:  # the provider refused it: expediting makes a new file, with a new reference
        w.signatures.set_status(first.id, SignatureStatus.CANCELLED, expect_rev=ANY_REV)
    renewed = signature_prepare.expedite(ctx, [lease]).files[0]
    assert renewed.id != first.id and renewed.reference == f"lsc-{chrono}-2"


def test_events_that_cannot_be_signed_are_left_aside_with_their_reason(ctx: AppContext) -> None:
    convocation = event_id(ctx, "Convocation AG 2026 — Le Clos des Vignes")
    sent = next(s for s in ctx.repos.signatures.all() if s.status is SignatureStatus.PENDING)
    report = signature_prepare.expedite(ctx, [convocation, sent.event_id])
    assert report.files == []
    reasons = dict(report.skipped)
    assert "ne prévoit aucun signataire" in reasons[ctx.repos.events.require(convocation).title]
    assert reasons[sent.title] == "déjà envoyé pour signature (Attente signature)."
    assert ctx.repos.events.require(convocation).chrono == ""  # the transaction gave its number back


def test_nothing_is_made_while_signature_v2_is_off(ctx: AppContext) -> None:
    with ctx.write() as w:
        section = w.settings.section(signature_settings.SECTION)
        w.settings.put(signature_settings.SECTION, {"v2": False}, expect_rev=section["_rev"])
    with pytest.raises(ServiceError, match="V2 n'est pas activée"):
        signature_prepare.expedite(ctx, [event_id(ctx, "Bail colocation")])
