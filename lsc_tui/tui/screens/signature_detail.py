"""The fiche signature (S2–S4, S8): where the file stands, each signer with their contact and boxes, and what
would stop it now; while « À envoyer » every signer can be changed (Entrée), added (+), deleted if added here
(Suppr), their boxes moved (p), a suggested fix accepted (ctrl+r); `a` sends it, shows its boxes, or once
signed saves the signed PDF and shows its first page."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from lsc_tui.domain.models import Placement, SignatureRequest
from lsc_tui.domain.signers import blank_signer
from lsc_tui.services import session, signature_files, signature_followup
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.services.signature_send import Checked
from lsc_tui.services.signature_settings import PROVIDERS
from lsc_tui.tui import keys
from lsc_tui.tui.screens.actions import ActionMenu, MenuAction
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.event_detail import EventDetailScreen
from lsc_tui.tui.screens.record_detail import when
from lsc_tui.tui.screens.request_placement import RequestPlacementScreen
from lsc_tui.tui.screens.signature_actions import run_signature_action, signature_menu
from lsc_tui.tui.screens.signer_form import SignerFormScreen, TextDialog
from lsc_tui.tui.text import markup
from lsc_tui.tui.widgets.record_list import Column, RecordList

SIGNER_STATUS = {"signed": "Signé", "declined": "Refusé", "notified": "Invité", "initiated": "Invité",
                 "waiting": "Invité", "aborted": "Interrompu"}  # fmt: skip
BOX_KEYS = "123456789"


def _follow_up(s: SignatureRequest, today: date) -> list[Content]:
    """What the fiche says of its follow-up (S9): deadline, reminders, in person, final cancellation."""
    out: list[Content] = []
    if note := signature_followup.expiry_note(s, today):
        out.append(markup("[b]$note[/b]", note=note.capitalize()))
    if s.reminder_interval:
        out.append(
            Content(
                f"Relances automatiques : tous les {s.reminder_interval} jour(s), {s.reminder_count} fois au plus"
            )
        )
    if s.in_person:
        out.append(Content("Signature en présentiel : aucun email ; a, l : les liens de signature"))
    if not s.event_id:
        out.append(Content("Sans événement : envoyée depuis la fiche du tiers (Signer électroniquement)"))
    if s.proof_path:
        out.append(Content(f"Piste d'audit du prestataire conservée · SHA-256 {s.proof_sha256[:16]}… (a, p)"))
    if s.status.value == "cancelled":
        out.append(markup("[b]$final[/b]", final=signature_followup.FINAL_NOTE))
    elif s.status.value == "expired":
        out.append(Content("Expirée : a puis t pour la réactiver avec une nouvelle échéance"))
    return out


class SignerList(RecordList):
    BINDINGS = keys.bindings(k for k in keys.RECORD_LIST if k.id != "list.open") + keys.bindings(
        keys.SIGNER_LIST
    )


class SignatureDetailScreen(BaseScreen):
    DEFAULT_CSS = """
    SignatureDetailScreen .file-head { height: auto; padding: 0 1; }
    SignatureDetailScreen .file-problems { height: auto; max-height: 7; color: $warning; padding: 0 1; }
    """
    WATCHES = session.SIGNATURES
    TITLE_FR = "Fiche signature"
    BINDINGS = keys.bindings(keys.SIGNATURE_FILE)
    PALETTE = tuple(keys.palette_only(keys.SIGNATURE_FILE))

    def __init__(self, request_id: str) -> None:
        super().__init__()
        self.request_id = request_id
        self.checked: Checked | None = None

    @property
    def request(self) -> SignatureRequest | None:
        return self.checked.request if self.checked is not None else None

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("Lecture…", id="file-head", classes="file-head")
            yield SignerList(
                [Column("Rôle", 2, 11), Column("Signataire", 4, 14), Column("Email", 4, 14, drop=2),
                 Column("Téléphone", 0, 13, drop=3), Column("Empl.", 0, 5, drop=1), Column("État", 0, 10)],
                tickable=False,
                id="signers",
            )  # fmt: skip
            yield Static("", id="file-problems", classes="file-problems", markup=False)

    def on_mount(self) -> None:
        self.query_one(SignerList).focus()

    def reload(self) -> None:
        self.call_service(
            signature_files.detail, self.ctx, self.request_id, on_result=self._show, group="detail"
        )

    def _show(self, checked: Checked) -> None:
        self.checked = checked
        s = checked.request
        status = f"{s.status.code} — {s.status.label}" if s.status.code else s.status.label
        sms = "email seul" if s.skip_sms else "email puis code SMS"
        lines = [
            markup("[b]$title[/b]", title=s.title),
            markup("Statut [b]$status[/b] · $provider · $ref · validation $sms", status=status,
                   provider=PROVIDERS.get(s.provider, s.provider), ref=s.reference or "—", sms=sms),
            markup("Créée le $c par $who · envoyée le $sent · échéance $end · signée le $signed",
                   c=when(s.created_at), who=s.created_by or "?", sent=when(s.sent_at), end=when(s.expires_at),
                   signed=when(s.signed_at)),
        ]  # fmt: skip
        lines += _follow_up(s, self.ctx.now().date())
        if s.reason:
            lines.append(markup("Motif : $reason", reason=s.reason))
        if s.note:
            lines.append(markup("Message aux signataires : $note", note=s.note))
        if s.signed_pdf_path:
            lines.append(markup("Document signé reçu le $at · SHA-256 $sha…", at=when(s.received_at),
                                sha=s.signed_sha256[:16]))  # fmt: skip
        lines.append(markup("[b]Signataires ($n)[/b]", n=len(s.signers)))
        self.query_one("#file-head", Static).update(Content("\n").join(lines))
        problems = {p.signer for p in checked.problems}
        rows = []
        for n, x in enumerate(s.signers):
            name = f"{x.first_name} {x.last_name}".strip() or "(à compléter)"
            state = "⚠ à corriger" if n in problems else SIGNER_STATUS.get(x.status, x.status or "—")
            cells = (
                x.role.label,
                name,
                x.email or "email manquant",
                x.phone or "—",
                str(len(x.placements)),
                state,
            )
            rows.append(Row(str(n), cells, "", "warning" if n in problems else ""))
        self.query_one(SignerList).set_rows(rows_of(rows))
        text = "\n".join(f"⚠ {p.message}" for p in checked.problems[:4])
        if len(checked.problems) > 4:
            text += f"\n… et {len(checked.problems) - 4} autre(s) : `a` puis `s` les liste toutes."
        if checked.problems:
            text += "\nEntrée : modifier le signataire · ctrl+r : accepter la correction proposée"
        self.query_one("#file-problems", Static).update(text)

    def record_name(self) -> str:
        return self.request.title if self.request is not None else ""

    # ---- signers ---------------------------------------------------------------------------------------------

    @property
    def _index(self) -> int | None:
        key = self.query_one(SignerList).current_key
        return int(key) if key is not None else None

    def _editable(self) -> SignatureRequest | None:
        request = self.request
        if request is None:
            return None
        if not signature_files.can_edit(request):
            self.notify(f"Fiche « {request.status.label} » : elle ne se modifie plus.", severity="warning")
            return None
        return request

    def on_record_list_opened(self, message: RecordList.Opened) -> None:
        request = self._editable()
        if request is not None:
            self.app.push_screen(SignerFormScreen(request, int(message.key)), self._changed)

    def action_add_signer(self) -> None:
        request = self._editable()
        if request is not None:
            self.app.push_screen(SignerFormScreen(request, None), self._changed)

    def _changed(self, saved: object) -> None:
        if saved is not None:
            self.reload()

    def action_delete_signer(self) -> None:
        request, index = self._editable(), self._index
        if request is not None and index is not None:
            self.call_service(signature_files.delete_signer, self.ctx, request.id, index, expect_rev=request.rev,
                              on_result=self._changed, group="write")  # fmt: skip

    def action_accept_fix(self) -> None:
        index = self._index
        if self.checked is None or index is None:
            return
        fixable = [p for p in self.checked.problems if p.signer == index and p.fix]
        if not fixable:
            self.notify("Pas de correction proposée pour ce signataire : Entrée pour le modifier.")
            return
        self.call_service(signature_files.accept_fix, self.ctx, self.checked.request.id, fixable[0],
                          expect_rev=self.checked.request.rev, on_result=self._changed, group="write")  # fmt: skip

    def action_note(self) -> None:
        request = self._editable()
        if request is None:
            return

        def typed(note: str | None) -> None:
            if note is not None:
                self.call_service(signature_files.set_note, self.ctx, request.id, note, expect_rev=request.rev,
                                  on_result=self._changed, group="write")  # fmt: skip

        self.app.push_screen(TextDialog("Message aux signataires (ajouté à l'email d'invitation) :", request.note),
                             typed)  # fmt: skip

    def action_boxes(self) -> None:
        request, index = self._editable(), self._index
        if request is None or index is None:
            return
        boxes = request.signers[index].placements
        if len(boxes) == 1:
            self._place(request, index, 0)
            return
        actions = [MenuAction(BOX_KEYS[n], f"Page {b.page} ({b.x:.0f}, {b.y:.0f})", str(n))
                   for n, b in enumerate(boxes[: len(BOX_KEYS)])]  # fmt: skip
        actions.append(MenuAction("n", "Nouvel emplacement", "new"))

        def chosen(name: str | None) -> None:
            if name is not None:
                self._place(request, index, None if name == "new" else int(name))

        self.app.push_screen(ActionMenu("Emplacements du signataire", actions), chosen)

    def _place(self, request: SignatureRequest, index: int, box: int | None) -> None:
        """Open the placement tool on box `box` of the signer (None: a new box, free of the others)."""
        if box is None:
            taken = [p for s in request.signers for p in s.placements]
            start: Placement = (
                blank_signer(request.pages, taken).placements[0].evolve(role=request.signers[index].role)
            )
        else:
            start = request.signers[index].placements[box]

        def placed(result: Placement | None) -> None:
            if result is not None:
                self.call_service(signature_files.set_placement, self.ctx, request.id, index, box, result,
                                  expect_rev=request.rev, on_result=self._changed, group="write")  # fmt: skip

        self.app.push_screen(RequestPlacementScreen(request, index, start), placed)

    # ---- actions ---------------------------------------------------------------------------------------------

    def action_actions(self) -> None:
        if self.request is not None:
            self.app.push_screen(ActionMenu(self.record_name(), self.menu_actions()), self._menu_done)

    def _menu_done(self, name: str | None) -> None:
        if name is not None:
            self.run_menu(name)

    def menu_actions(self) -> list[MenuAction]:
        return signature_menu(self.request) if self.request is not None else []

    def run_menu(self, name: str) -> None:
        run_signature_action(self, name, [self.request_id], on_done=self.reload, request=self.request)
        if name == "return_event" and self.request is not None and self.request.return_event_id:
            self.app.push_screen(EventDetailScreen(self.request.return_event_id))

    def refresh_from_provider(self) -> None:
        """F5: ask the provider, then read the fiche again."""
        run_signature_action(self, "fetch", [self.request_id], on_done=self.reload)
