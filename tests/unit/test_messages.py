"""Modèles de messages (O5) on the seeded agency: defaults, the right to edit them (C5), validation of
variables and of YouSign's 500 characters, concurrent edits, and `message_for` on real signature files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lsc_tui.domain.messages import DEFAULTS, MAX_LENGTH, MessageKind, fit, preview
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import messages, rights
from lsc_tui.services.errors import EditConflict, Forbidden, ServiceError, ValidationFailed
from lsc_tui.store import RecordStore as Store
from lsc_tui.store.repositories import Repos
from tests.fixtures import context, seeded_store

INVITATION = MessageKind.INVITATION


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def test_defaults_and_who_may_edit(store: Store) -> None:
    loaded = messages.load(context(store))
    assert [m.kind for m in loaded.messages] == list(MessageKind)
    assert all(m.is_default and m.text == DEFAULTS[m.kind] for m in loaded.messages)
    assert loaded.can_edit and loaded.sample["administration.nom"] == "Cabinet Martin Immobilier"
    assert not messages.load(context(store, "julien")).can_edit
    assert not messages.load(context(store, "inconnu")).can_edit


def test_the_right_is_given_by_an_admin_and_checked_by_the_service(store: Store) -> None:
    text = "Bonjour, merci de signer « {document.titre} » avant le {echeance}."
    with pytest.raises(Forbidden) as refused:
        messages.save(context(store, "julien"), {INVITATION: (text, None)})
    assert "Gestion des modèles de messages" in refused.value.message
    with pytest.raises(Forbidden):
        rights.set_right(context(store, "julien"), "julien", "messages", True)
    rights.set_right(context(store), "julien", "messages", True)
    julien = context(store, "julien")
    assert julien.user.rights == ("messages",) and messages.load(julien).can_edit
    saved = messages.save(julien, {INVITATION: (text, None)})
    invitation = saved.messages[0]
    assert invitation.text == text and not invitation.is_default
    assert store.get("settings", "message.invitation")["text"] == text
    lines = [(e["user"], e["action"], e["detail"]) for e in store.select("audit")]
    assert ("claire", "utilisateur.droit", "julien : messages donné") in lines
    assert ("julien", "message.modifier", "Invitation à signer") in lines
    rights.set_right(context(store), "julien", "messages", False)
    with pytest.raises(Forbidden):
        messages.save(context(store, "julien"), {INVITATION: (text, invitation.rev)})
    with pytest.raises(ServiceError, match="Droit inconnu"):
        rights.set_right(context(store), "julien", "tout", True)
    with pytest.raises(ServiceError, match="n'existe pas"):
        rights.set_right(context(store), "personne", "messages", True)


def test_unknown_variables_and_too_long_are_refused_by_kind(store: Store) -> None:
    long = "Bonjour {signataires}, " + "merci de bien vouloir signer ce document. " * 12
    with pytest.raises(ValidationFailed) as caught:
        messages.save(
            context(store),
            {INVITATION: ("Signez {document.titr}", None), MessageKind.REMINDER: (long, None)},
        )
    assert caught.value.errors["invitation"].startswith("Variable inconnue : {document.titr}")
    assert "le prestataire en accepte 500 au plus" in caught.value.errors["reminder"]

    assert not [
        r for r in store.select("settings") if str(r.get("key", "")).startswith("message.")
    ]  # nothing written
    shown = preview(long)
    assert shown.length > MAX_LENGTH and len(shown.text) <= MAX_LENGTH and shown.text.endswith("…")


def test_a_colleagues_save_is_not_overwritten(store: Store) -> None:
    first = messages.save(context(store), {INVITATION: ("Première version.", None)}).messages[0]
    messages.save(context(store), {INVITATION: ("Deuxième version.", first.rev)})
    with pytest.raises(EditConflict):
        messages.save(context(store), {INVITATION: ("Version périmée.", first.rev)})
    with pytest.raises(EditConflict):
        messages.save(context(store), {INVITATION: ("Créée deux fois.", None)})
    current = messages.load(context(store)).messages[0]
    assert current.text == "Deuxième version."
    back = messages.restore_default(context(store), INVITATION, current.rev or 0)
    assert back.messages[0].is_default and back.messages[0].text == DEFAULTS[INVITATION]


def test_message_for_a_signature_file(store: Store) -> None:
    ctx = context(store)
    pending = next(s for s in Repos(store).signatures.with_status(SignatureStatus.PENDING) if s.expires_at)
    text = messages.message_for(ctx, "invitation", pending)
    day = int(pending.expires_at[8:10])
    assert text.startswith("Bonjour,\nCabinet Martin Immobilier vous invite à signer électroniquement « ")
    assert f"« {pending.title} » avant le {day} " in text
    assert "Pour toute question : Claire Martin (claire.martin@cabinet-martin.example)." in text
    custom = "{signataires} : merci. {entite.nom}, lot {lot}, chrono {chrono}. Envoyé par {expediteur.nom}."
    messages.save(ctx, {MessageKind.REMINDER: (custom, None)})
    names = ", ".join(f"{x.first_name} {x.last_name}" for x in pending.signers)
    reminder = messages.message_for(ctx, MessageKind.REMINDER, pending)
    assert reminder.startswith(f"{names} : merci. ") and reminder.endswith("Envoyé par Claire Martin.")
    assert "{" not in reminder
    long_title = pending.evolve(title="Bail " + "très long " * 80)
    cut = messages.message_for(ctx, INVITATION, long_title)
    assert len(cut) <= MAX_LENGTH and cut.endswith("…")


def test_fit_cuts_at_a_word() -> None:
    assert fit("court") == "court"
    assert fit("un deux trois quatre", 12) == "un deux…"
