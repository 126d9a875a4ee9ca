"""One signer of a « Signer électroniquement » (S11) typed or completed: name, email, mobile and the ID document
(kind, number, valid until — never a scan). Answers the signer as typed, or None; what is still missing is
said on the signing screen, piece by piece, so nothing typed is lost to a refusal here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from lsc_tui.domain.identity import ID_KINDS, IdDocument, french_day, id_from_form, id_problems
from lsc_tui.services.signature_direct import DirectSigner
from lsc_tui.tui import keys
from lsc_tui.tui.text import markup

FIELDS = (("last_name", "Nom"), ("first_name", "Prénom"), ("email", "Email"), ("mobile", "Mobile (+33…)"),
          ("id_number", "N° de pièce"), ("id_valid_until", "Valable jusqu'au"))  # fmt: skip


class DirectSignerDialog(ModalScreen[DirectSigner | None]):
    BINDINGS = keys.bindings(keys.DIRECT_SIGNER)
    DEFAULT_CSS = """
    DirectSignerDialog { align: center middle; }
    DirectSignerDialog > Vertical { width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    DirectSignerDialog Grid { grid-size: 2; grid-columns: 18 1fr; height: auto; }
    DirectSignerDialog Input, DirectSignerDialog Select { height: 1; }
    """

    def __init__(self, signer: DirectSigner) -> None:
        super().__init__()
        self.signer = signer

    def compose(self) -> ComposeResult:
        s, doc = self.signer, self.signer.id_document
        values = {"last_name": s.last_name, "first_name": s.first_name, "email": s.email, "mobile": s.mobile,
                  "id_number": doc.number, "id_valid_until": french_day(doc.valid_until) if doc.valid_until else ""}  # fmt: skip
        with Vertical():
            yield Static(markup("[b]Signataire[/b] ($source)", source=s.source), markup=True)
            with Grid():
                for name, label in FIELDS[:4]:
                    yield Label(label)
                    yield Input(values[name], id=name, compact=True)
                yield Label("Pièce d'identité")
                yield Select(
                    [(label, kind) for kind, label in ID_KINDS.items()],
                    id="id_kind",
                    compact=True,
                    prompt="(aucune)",
                    **({"value": doc.kind} if doc.kind in ID_KINDS else {}),
                )
                for name, label in FIELDS[4:]:
                    yield Label(label)
                    yield Input(
                        values[name],
                        id=name,
                        compact=True,
                        placeholder="JJ/MM/AAAA" if "valid" in name else "",
                    )
            yield Static("", id="direct-error", markup=False)
            yield Static("ctrl+s valider · Échap annuler (la pièce : son type, son numéro, sa date — jamais le scan)",
                         markup=False)  # fmt: skip

    def on_mount(self) -> None:
        self.query_one("#last_name", Input).focus()

    def _text(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def action_save(self) -> None:
        kind = self.query_one("#id_kind", Select).value
        kind_text = kind if isinstance(kind, str) else ""
        errors = id_problems(kind_text, self._text("id_number"), self._text("id_valid_until"))
        if errors:  # a date that is not one cannot be kept: say so here
            self.query_one("#direct-error", Static).update(" ".join(errors.values()))
            return
        document = id_from_form(kind_text, self._text("id_number"), self._text("id_valid_until"))
        self.dismiss(
            DirectSigner(
                self._text("last_name").strip(),
                self._text("first_name").strip(),
                self._text("email").strip(),
                self._text("mobile").strip(),
                document if not document.is_blank else IdDocument(),
                self.signer.party_id,
                self.signer.source,
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
