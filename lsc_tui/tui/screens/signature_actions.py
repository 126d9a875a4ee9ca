"""The `a` menu of the Signatures list (on the ticked files) and of a fiche (on that file): send, see the
signed PDF and the boxes, fetch from the cloud, remind, cancel, reactivate (S5–S9). Batches (send, remind,
cancel) run in the progress screen with one result per file; the rest are one service call each."""

from __future__ import annotations

from collections.abc import Callable

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import (
    proof_bundle,
    signature_direct,
    signature_files,
    signature_followup,
    signature_proof,
    signature_sync,
)
from lsc_tui.services.batches import BatchReport
from lsc_tui.services.signature_sync import SyncReport
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.cancel_dialog import CancelDialog
from lsc_tui.tui.screens.pdf_view import PdfViewScreen
from lsc_tui.tui.screens.signer_form import TextDialog

S = SignatureStatus
FINAL = "annulée : c'est définitif"
SENDABLE = {S.DRAFT, S.ERROR, S.SENDING}
CANCELLABLE = {S.DRAFT, S.ERROR, S.PENDING}


def _cancel_state(status: SignatureStatus | None) -> tuple[bool, str]:
    if status is None or status in CANCELLABLE:
        return True, ""
    if status is S.CANCELLED:
        return False, FINAL
    return False, f"fiche « {status.label} »"


def _remind_state(request: SignatureRequest | None) -> tuple[bool, str]:
    if request is None:
        return True, ""
    if request.status is S.CANCELLED:
        return False, FINAL
    if request.status is not S.PENDING:
        return False, "une fois « Attente signature »"
    if request.in_person:
        return False, "signature en présentiel : pas d'email"
    return True, ""


def signature_menu(request: SignatureRequest | None = None) -> list[MenuAction]:
    """The `a` menu of the Signatures list (request None: acts on the ticked rows) and of a fiche."""
    status = request.status if request is not None else None
    signed = status is None or status is S.SIGNED
    out = [MenuAction("o", "Ouvrir la fiche", "open")] if request is None else []
    out += [
        MenuAction(
            "s", "Envoyer pour signature", "send", status is None or status in SENDABLE, "déjà envoyée"
        ),
        MenuAction("v", "Voir le document signé", "signed_pdf", signed, "une fois la fiche « Signé »"),
        MenuAction("e", "Voir les emplacements des signatures", "placements"),
        MenuAction("n", "Récupérer les signatures du nuage", "fetch"),
    ]
    if request is not None and request.return_event_id:
        out.append(MenuAction("g", "Aller à l'événement retour", "return_event"))
    remind, remind_why = _remind_state(request)
    cancel, cancel_why = _cancel_state(status)
    out += [
        MenuAction("r", "Relancer les signataires maintenant", "remind", remind, remind_why),
        MenuAction("x", "Annuler la demande (motif et note)", "cancel", cancel, cancel_why),
    ]
    if request is not None and request.in_person:
        waiting = status is S.PENDING
        out.append(MenuAction("l", "Liens de signature (présentiel)", "links", waiting, "une fois envoyée"))
    if request is not None and status is S.EXPIRED:
        out.append(MenuAction("t", "Réactiver avec une nouvelle échéance", "reactivate"))
    if request is None:
        out.append(MenuAction("p", "Dossier de preuve des fiches cochées (zip)", "proof_bundle"))
    else:
        out.append(MenuAction("p", "Dossier de preuve", "proof", signed, "une fois la fiche « Signé »"))
        out.append(MenuAction("m", "Rapport des envois de cette fiche", "send_report"))
    return out


def run_signature_action(
    screen: BaseScreen,
    name: str,
    request_ids: list[str],
    *,
    on_done: Callable[[], object],
    request: SignatureRequest | None = None,
) -> None:
    """What the `a` menu's entries do, for the Signatures list and a fiche alike (`request`: the fiche's)."""
    from lsc_tui.tui.screens.signature_flow import SendFlow

    current = request_ids[0] if request_ids else None
    if name == "send":
        SendFlow(screen, on_done=on_done).check(request_ids)
    elif name == "fetch":
        screen.notify("Récupération des signatures du nuage…", timeout=3)

        def synced(report: SyncReport) -> None:
            screen.notify(report.summary(), severity="warning" if report.errors else "information", timeout=8)
            on_done()

        screen.call_service(signature_sync.sync, screen.ctx, on_result=synced, group="sync", exclusive=True)
    elif name == "placements" and current is not None:
        screen.call_service(signature_files.placements_view, screen.ctx, current,
                            on_result=lambda view: screen.app.push_screen(PdfViewScreen(view)), group="view")  # fmt: skip
    elif name == "signed_pdf" and current is not None:
        _save_signed(screen, current)
    elif name == "remind" and request_ids:
        _batch(screen, "Relance des signataires", signature_followup.remind_requests, request_ids, on_done)
    elif name == "cancel" and request_ids:
        _cancel(screen, request_ids, on_done)
    elif name == "reactivate" and request is not None:
        _reactivate(screen, request, on_done)
    elif name == "links" and current is not None:
        from lsc_tui.tui.screens.signing_links import SigningLinksScreen

        screen.call_service(signature_direct.signing_links, screen.ctx, current, group="view",
                            on_result=lambda links: screen.app.push_screen(SigningLinksScreen(links)))  # fmt: skip
    elif name == "proof" and current is not None:
        _proof(screen, current)
    elif name == "proof_bundle" and request_ids:
        _proof_bundle(screen, request_ids, on_done)
    elif name == "send_report" and request is not None:
        from lsc_tui.tui.screens.send_report import SendReportScreen

        screen.app.push_screen(SendReportScreen(request.id, request.title))


def _batch(screen: BaseScreen, title: str, job: Callable[..., object], request_ids: list[str],
           on_done: Callable[[], object], *args: object) -> None:  # fmt: skip
    def closed(report: BatchReport | None) -> None:
        on_done()

    screen.app.push_screen(
        BatchProgressScreen(title, job, screen.ctx, request_ids, *args, noun="fiche"), closed
    )


def _cancel(screen: BaseScreen, request_ids: list[str], on_done: Callable[[], object]) -> None:
    def chosen(answer: tuple[str, str] | None) -> None:
        if answer is not None:
            reason, note = answer
            title = f"Annulation de {len(request_ids)} fiche(s) signature"
            _batch(screen, title, signature_followup.cancel_requests, request_ids, on_done, reason, note)

    def ask(note: str) -> None:
        screen.app.push_screen(CancelDialog(len(request_ids), note), chosen)

    screen.call_service(
        signature_followup.cancellation_note, screen.ctx, request_ids, on_result=ask, group="view"
    )


def _reactivate(screen: BaseScreen, request: SignatureRequest, on_done: Callable[[], object]) -> None:
    def done(saved: SignatureRequest) -> None:
        screen.notify(f"Fiche réactivée jusqu'au {saved.expires_at[8:10]}/{saved.expires_at[5:7]}/{saved.expires_at[:4]} :"
                      " les signataires sont invités de nouveau.", timeout=8)  # fmt: skip
        on_done()

    def typed(until: str | None) -> None:
        if until is not None:
            screen.call_service(signature_followup.reactivate, screen.ctx, request.id, until, expect_rev=request.rev,
                                on_result=done, group="write")  # fmt: skip

    default = signature_followup.reactivation_default(screen.ctx)
    screen.app.push_screen(
        TextDialog("Nouvelle échéance de signature (JJ/MM/AAAA, un an au plus) :", default), typed
    )


def _save_signed(screen: BaseScreen, request_id: str) -> None:
    def chosen(target: str | None) -> None:
        if target is not None:
            screen.call_service(signature_files.save_signed_pdf, screen.ctx, request_id, target,
                                on_result=lambda view: screen.app.push_screen(PdfViewScreen(view)), group="view")  # fmt: skip

    def ask(default: str) -> None:
        screen.app.push_screen(TextDialog("Enregistrer le document signé sous :", default), chosen)

    screen.call_service(signature_files.suggested_target, screen.ctx, request_id, on_result=ask, group="view")


def _proof(screen: BaseScreen, request_id: str) -> None:
    """« Dossier de preuve » of one signed file: saved where the user says, or filed on one of its parties."""

    def saved(path: object) -> None:
        screen.notify(f"Dossier de preuve enregistré : {path}", timeout=10)

    def filed(document: object) -> None:
        screen.notify("Dossier de preuve classé dans le dossier du tiers (Suivi du tiers).", timeout=8)

    def target(text: str | None) -> None:
        if text is not None:
            screen.call_service(signature_proof.save_proof, screen.ctx, request_id, text, on_result=saved,
                                group="proof")  # fmt: skip

    def chosen(answer: str | None) -> None:
        if answer == "save":
            default = signature_proof.suggested_target(screen.ctx, request_id)
            screen.app.push_screen(TextDialog("Enregistrer le dossier de preuve sous :", default), target)
        elif answer is not None and answer.startswith("party:"):
            party_id = answer.removeprefix("party:")
            screen.call_service(signature_proof.file_on_party, screen.ctx, request_id, party_id, on_result=filed,
                                group="proof")  # fmt: skip

    def ask(parties: list[tuple[str, str]]) -> None:
        actions = [MenuAction("e", "Enregistrer sous… (zip)", "save")]
        actions += [
            MenuAction(str(n), f"Classer chez {name}", f"party:{party_id}")
            for n, (party_id, name) in enumerate(parties[:9], start=1)
        ]
        screen.app.push_screen(ActionMenu("Dossier de preuve", actions), chosen)

    screen.call_service(signature_proof.parties_of, screen.ctx, request_id, on_result=ask, group="view")


def _proof_bundle(screen: BaseScreen, request_ids: list[str], on_done: Callable[[], object]) -> None:
    def typed(target: str | None) -> None:
        if target is not None:
            title = f"Dossier de preuve de {len(request_ids)} fiche(s) — {target}"
            _batch(screen, title, proof_bundle.write_bundle, request_ids, on_done, target)

    default = f"~/dossier-de-preuve-{screen.ctx.now().date().isoformat()}.zip"
    screen.app.push_screen(TextDialog("Enregistrer le dossier de preuve (zip) sous :", default), typed)
