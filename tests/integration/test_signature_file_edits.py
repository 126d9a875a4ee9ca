"""The fiche signature before it leaves (S3, S4, S8): signers edited with E.164 validation, « + » adds one,
only those added here may be deleted, boxes moved per signer, and nothing changes once the file has left."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.domain.boxes import overlaps
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import signature_files as files
from lsc_tui.services import signature_prepare
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import EditConflict, ServiceError, ValidationFailed
from lsc_tui.store import ANY_REV
from tests.fixtures import context, seeded_store


@pytest.fixture
def ctx(tmp_path: Path) -> AppContext:
    return context(seeded_store(tmp_path / "data"))


def lease(ctx: AppContext) -> str:
    event = next(e.id for e in ctx.repos.events.all() if e.title.startswith("Bail colocation"))
    return signature_prepare.expedite(ctx, [event]).ids[0]


def test_a_signer_is_edited_with_the_phone_checked_and_the_typed_text_refused_as_a_whole(
    ctx: AppContext,
) -> None:
    request = ctx.repos.signatures.require(lease(ctx))
    bad = files.SignerForm("Fontaine", "Hugo", "hugo@exemple", "06 08 90 41 23")
    with pytest.raises(ValidationFailed) as refused:
        files.save_signer(ctx, request.id, 1, bad, expect_rev=request.rev)
    assert set(refused.value.errors) == {"email", "phone"}
    assert "+33608904123" in refused.value.errors["phone"]  # the fix the form offers on ctrl+r
    good = files.SignerForm(" Fontaine ", "Hugo", "hugo.fontaine@exemple.fr", "+33 6 08 90 41 23")
    saved = files.save_signer(ctx, request.id, 1, good, expect_rev=request.rev)
    assert (saved.signers[1].last_name, saved.signers[1].phone) == ("Fontaine", "+33608904123")
    with pytest.raises(EditConflict):  # a colleague saved in between: the older revision is refused
        files.save_signer(ctx, request.id, 1, good, expect_rev=request.rev)


def test_plus_adds_a_deletable_signer_and_the_templates_signers_stay(ctx: AppContext) -> None:
    request = ctx.repos.signatures.require(lease(ctx))
    added = files.save_signer(
        ctx,
        request.id,
        None,
        files.SignerForm("Roux", "Marc", "marc.roux@exemple.fr", ""),
        expect_rev=request.rev,
    )
    new = added.signers[-1]
    assert new.added_here and new.role is Role.FREE_SLOT and len(new.placements) == 1
    others = [p for s in added.signers[:-1] for p in s.placements]
    assert not any(overlaps(new.placements[0], p) for p in others)
    with pytest.raises(ServiceError, match="vient des signataires du modèle"):
        files.delete_signer(ctx, request.id, 0, expect_rev=added.rev)
    removed = files.delete_signer(ctx, request.id, len(added.signers) - 1, expect_rev=added.rev)
    assert len(removed.signers) == len(request.signers)


def test_a_box_is_moved_per_signer_and_refused_off_the_page(ctx: AppContext) -> None:
    request = ctx.repos.signatures.require(lease(ctx))
    box = request.signers[2].placements[0].evolve(x=40, y=40)
    moved = files.set_placement(ctx, request.id, 2, 0, box, expect_rev=request.rev)
    assert (
        moved.signers[2].placements[0] == box and moved.signers[0].placements == request.signers[0].placements
    )
    with pytest.raises(ServiceError, match="page 4"):
        files.set_placement(ctx, request.id, 2, None, box.evolve(page=4), expect_rev=moved.rev)
    view = files.placements_view(ctx, request.id)
    assert len(view.pages) == 3 and len(view.boxes) == 9
    assert any(label == "Inès Benali (Colocataires)" for _box, label in view.boxes)
    assert files.placements_pdf(ctx, request.id).startswith(b"%PDF")


def test_once_sent_the_file_is_read_only_and_the_signed_pdf_waits_for_the_signature(ctx: AppContext) -> None:
    request_id = lease(ctx)
    with ctx.write() as w:
        w.signatures.set_status(request_id, SignatureStatus.PENDING, expect_rev=ANY_REV, remote_id="r1")
    request = ctx.repos.signatures.require(request_id)
    with pytest.raises(ServiceError, match="Attente signature"):
        files.set_note(ctx, request_id, "Bonjour", expect_rev=request.rev)
    with pytest.raises(ServiceError, match="Le document signé n'existe qu'une fois"):
        files.save_signed_pdf(ctx, request_id, "")
    assert files.detail(ctx, request_id).problems == ()
