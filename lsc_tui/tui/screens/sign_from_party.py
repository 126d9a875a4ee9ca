"""« Signer électroniquement » from a party (S11), keyboard only: pick PDFs in the folder list (Entrée opens
a folder or adds the PDF under the cursor, ctrl+k takes the last one back), tick the signers (Espace; Entrée completes one,
ctrl+n adds another), choose in person or at a distance, ctrl+s sends. Each signer lacking an email, a mobile
or a valid ID document says which piece is missing; in person, the signing links are shown here once (never
written anywhere)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from lsc_tui.domain.models import Party
from lsc_tui.services import parties, signature_direct
from lsc_tui.services.errors import ServiceError, ValidationFailed
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.services.signature_direct import DirectSigner, FolderEntry, Sent
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.direct_signer import DirectSignerDialog
from lsc_tui.tui.screens.signing_links import SigningLinksScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList
from lsc_tui.tui.widgets.tick_box import TickBox


class SignFromPartyScreen(BaseScreen):
    WATCHES = frozenset()
    TITLE_FR = "Signer électroniquement"
    BINDINGS = keys.bindings(keys.SIGN_DIRECT)
    DEFAULT_CSS = """
    SignFromPartyScreen #picker { height: 7; }
    SignFromPartyScreen #signers { height: 5; }
    SignFromPartyScreen #files, SignFromPartyScreen #direct-status { height: auto; }
    """

    def __init__(self, party_id: str, folder: str | None = None) -> None:
        """`folder`: where the tree starts (the user's home by default)."""
        super().__init__()
        self.party_id = party_id
        self.folder = Path(folder or Path.home())
        self.files: list[str] = []
        self.signers: list[DirectSigner] = []

    def compose_body(self) -> ComposeResult:
        with Vertical():
            yield Static("Lecture du tiers…", id="direct-title", markup=False)
            yield Static("", id="folder", markup=False)
            yield RecordList([Column("Dossier ou PDF", 1, 20)], tickable=False, id="picker")
            yield Static("Documents : aucun (Entrée sur un PDF pour l'ajouter)", id="files", markup=False)
            yield RecordList([Column("Signataire", 3, 14), Column("Origine", 0, 11), Column("Manque", 4, 16)],
                             id="signers")  # fmt: skip
            yield TickBox("En présentiel (lien affiché ici, aucun email)", id="in_person")
            yield Static("", id="direct-status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        self.call_service(parties.get, self.ctx, self.party_id, on_result=self._named, group="name")
        self.call_service(signature_direct.candidates, self.ctx, self.party_id, on_result=self._candidates,
                          group="read")  # fmt: skip
        self._open_folder(str(self.folder))
        self.query_one("#picker", RecordList).focus()

    def _named(self, party: Party) -> None:
        self.query_one("#direct-title", Static).update(f"Signer électroniquement — {party.display_name}")

    def _candidates(self, found: list[DirectSigner]) -> None:
        self.signers = found
        self._show_signers()
        signers = self.query_one("#signers", RecordList)
        signers.ticked = {"s0": None} if found else {}
        signers.refresh()

    def _show_signers(self) -> None:
        today = self.ctx.now().date()
        rows = [
            Row(f"s{i}", (s.name, s.source, ", ".join(s.missing(today)) or "complet"), "",
                "warning" if s.missing(today) else "")
            for i, s in enumerate(self.signers)
        ]  # fmt: skip
        self.query_one("#signers", RecordList).set_rows(rows_of(rows))

    # ---- files -----------------------------------------------------------------------------------------

    def _open_folder(self, folder: str) -> None:
        self.call_service(signature_direct.folder_entries, folder, on_result=self._show_folder, group="folder",
                          exclusive=True)  # fmt: skip

    def _show_folder(self, found: tuple[str, list[FolderEntry]]) -> None:
        folder, entries = found
        self.folder = Path(folder)
        self.query_one("#folder", Static).update(f"Dossier : {folder}")
        self.query_one("#picker", RecordList).set_rows(
            rows_of([Row(e.key, (e.label,), e.label.lower()) for e in entries])
        )

    @on(RecordList.Opened, "#picker")
    def _picked(self, event: RecordList.Opened) -> None:
        kind, _, path = event.key.partition(":")
        if kind == "up":
            self._open_folder(str(self.folder.parent))
        elif kind == "dir":
            self._open_folder(path)
        elif path not in self.files:
            self.files.append(path)
            self._show_files()

    def action_drop_file(self) -> None:
        if self.files:
            self.files.pop()
        self._show_files()

    def _show_files(self) -> None:
        names = " · ".join(f"{n}. {Path(p).name}" for n, p in enumerate(self.files, start=1))
        self.query_one("#files", Static).update(
            f"Documents : {names or 'aucun'} (ctrl+k : retirer le dernier)"
        )

    # ---- signers ---------------------------------------------------------------------------------------

    @on(RecordList.Opened, "#signers")
    def _edit(self, event: RecordList.Opened) -> None:
        index = int(event.key[1:])
        self.app.push_screen(DirectSignerDialog(self.signers[index]), lambda s: self._edited(index, s))

    def action_add_signer(self) -> None:
        self.app.push_screen(DirectSignerDialog(DirectSigner("")), lambda s: self._edited(None, s))

    def _edited(self, index: int | None, signer: DirectSigner | None) -> None:
        if signer is None:
            return
        signers = self.query_one("#signers", RecordList)
        if index is None:
            self.signers.append(signer)
            signers.ticked[f"s{len(self.signers) - 1}"] = None
        else:
            self.signers[index] = signer
        self._show_signers()

    # ---- send ------------------------------------------------------------------------------------------

    def action_send(self) -> None:
        if self.service_busy("send"):
            return
        ticked = [self.signers[int(k[1:])] for k in self.query_one("#signers", RecordList).ticked]
        in_person = self.query_one("#in_person", TickBox).value
        self.query_one("#direct-status", Static).update("Envoi…")
        self.call_service(signature_direct.create_and_send, self.ctx, self.party_id, list(self.files), ticked,
                          in_person, on_result=self._sent, on_error=self._refused, group="send")  # fmt: skip

    def _refused(self, error: ServiceError) -> None:
        text = " ".join(error.errors.values()) if isinstance(error, ValidationFailed) else error.message
        self.query_one("#direct-status", Static).update(text)
        self.notify("Rien n'a été envoyé : " + text, severity="error", timeout=10)

    def _sent(self, sent: Sent) -> None:
        result = sent.report.results[0] if sent.report.results else None
        ok = result is not None and result.ok
        message = result.message if result is not None else ""
        self.query_one("#direct-status", Static).update(
            ("Fiche envoyée" if ok else "Fiche créée, non envoyée") + (f" : {message}" if message else "")
        )
        if sent.links:
            self.app.push_screen(SigningLinksScreen(sent.links), self._links_closed)
        elif ok:
            self.notify("Fiche signature envoyée : les signataires reçoivent leur invitation.", timeout=8)
            self.dismiss()
        else:
            self.notify_error(f"Fiche créée (« À envoyer ») mais non envoyée : {message}")

    def _links_closed(self, _closed: None) -> None:
        self.dismiss()  # not returned: a callback's awaitable would be awaited from this screen's handler

    def action_cancel(self) -> None:
        self.dismiss()
