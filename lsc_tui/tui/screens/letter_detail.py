"""A registered letter (L7): its recipient, its AR24 status and every date of its journey."""

from __future__ import annotations

from textual.content import Content

from lsc_tui.domain.letters import LetterKind, RegisteredLetter
from lsc_tui.services import letters, session
from lsc_tui.services.letter_tracking import proof_label
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.letter_actions import LetterActions, letter_menu
from lsc_tui.tui.screens.record_detail import RecordDetailScreen, field, when


class LetterDetailScreen(LetterActions, RecordDetailScreen):
    WATCHES = session.LETTERS
    TITLE_FR = "Lettre recommandée"
    SERVICE = staticmethod(letters.detail)

    def lines(self, x: RegisteredLetter) -> list[Content]:
        out = [
            field("Destinataire", x.recipient_name, bold=True),
            field("Email", x.recipient_email),
            field("Objet", x.subject),
            field("Type", x.kind.label),
            field("Statut", x.status.label, bold=True),
            field("Erreur", x.error),
            field("Référence", x.reference),
            field("Identifiant AR24", x.remote_id),
            field("Créée le", f"{when(x.created_at)} par {x.created_by or '?'}"),
            field("Dépôt", when(x.deposit_date)),
            field("Envoi", when(x.sending_date)),
            field("Accusé de réception", when(x.ar_date)),
            field("Refus", when(x.refused_date)),
            field("Négligence", when(x.negligence_date)),
            field("Non distribuable", when(x.bounced_date)),
            field("Imprimée", when(x.printed_date)),
            field("Chrono", x.chrono),
            field("Preuves", ", ".join(proof_label(k) for k in x.proofs)),
        ]
        if x.kind is LetterKind.PAPER:
            out.append(
                field(
                    "Impression",
                    f"{'couleur' if x.color else 'N&B'}, {'recto-verso' if x.duplex else 'recto'}",
                )
            )
        return out

    def record_name(self) -> str:
        return self.record.recipient_name if self.record is not None else ""

    def menu_actions(self) -> list[MenuAction]:
        return letter_menu(self.ctx.readonly, in_list=False)

    def letter_id(self) -> str | None:
        return self.record.id if self.record is not None else None

    def run_menu(self, name: str) -> None:
        if not self.run_letter_action(name):
            super().run_menu(name)
