"""A signature file (S2, S8): its status and dates, and every signer with where they stand."""

from __future__ import annotations

from textual.content import Content

from lsc_tui.domain.models import SignatureRequest
from lsc_tui.services import session, signatures
from lsc_tui.tui.screens.actions import MenuAction
from lsc_tui.tui.screens.record_detail import RecordDetailScreen, field, when
from lsc_tui.tui.text import markup

LATER = "arrive avec le module signatures"
SIGNER_STATUS = {"signed": "Signé", "declined": "Refusé", "notified": "Invité", "": "—"}


def signature_menu() -> list[MenuAction]:
    return [
        MenuAction("o", "Ouvrir le détail", "open"),
        MenuAction("v", "Voir le document signé", "signed_pdf", False, LATER),
        MenuAction("e", "Voir les emplacements des signatures", "placements", False, LATER),
        MenuAction("r", "Relancer les signataires", "remind", False, LATER),
        MenuAction("x", "Annuler la demande", "cancel", False, LATER),
        MenuAction("p", "Dossier de preuve", "proof", False, LATER),
        MenuAction("n", "Récupérer les signatures du nuage", "fetch", False, LATER),
    ]


class SignatureDetailScreen(RecordDetailScreen):
    WATCHES = session.SIGNATURES
    TITLE_FR = "Fiche signature"
    SERVICE = staticmethod(signatures.detail)

    def lines(self, s: SignatureRequest) -> list[Content]:
        status = f"{s.status.code} — {s.status.label}" if s.status.code else s.status.label
        out = [
            field("Objet", s.title, bold=True),
            field("Statut", status, bold=True),
            field("Motif", s.reason),
            field("Prestataire", s.provider),
            field("Référence", s.reference),
            field("Identifiant prestataire", s.remote_id),
            field("Créée le", f"{when(s.created_at)} par {s.created_by or '?'}"),
            field("Envoyée le", when(s.sent_at)),
            field("Signée le", when(s.signed_at)),
            field("Échéance", when(s.expires_at)),
            field("Validation par SMS", "non (email seul)" if s.skip_sms else "oui (email puis code SMS)"),
            field("Empreinte du PDF", s.pdf_sha256[:16]),
            Content(""),
            markup("[b]Signataires ($n)[/b]", n=len(s.signers)),
        ]
        for x in s.signers:
            name = f"{x.first_name} {x.last_name}".strip()
            out.append(
                markup(
                    "  $role $name $status",
                    role=f"{x.role.label:<24}",
                    name=f"{name:<28}",
                    status=SIGNER_STATUS.get(x.status, x.status),
                )
            )
            contact = " · ".join((x.email or "email manquant", x.phone or "mobile manquant"))
            places = f" · {len(x.placements)} emplacement(s)" if x.placements else ""
            out.append(markup("  $pad $contact$places", pad=" " * 24, contact=contact, places=places))
        return out

    def record_name(self) -> str:
        return self.record.title if self.record is not None else ""

    def menu_actions(self) -> list[MenuAction]:
        return signature_menu()
