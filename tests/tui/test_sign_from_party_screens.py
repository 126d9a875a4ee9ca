"""S11 at 80×24 on a fresh demo, through the keys a person presses: Tiers, `a` `s` on a party without an ID
document — its row names the missing piece and ctrl+s refuses, naming it; the party's form takes the ID
document (kind, number, date) and saves it; back to « Signer électroniquement »: a PDF picked in the folder tree
(↓, Entrée), in person ticked, ctrl+s — the signing link is shown once, and the file exists without an event."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from lsc_tui.cli.demo import seed_demo
from lsc_tui.domain.identity import IdDocument
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.sign_from_party import SignFromPartyScreen
from lsc_tui.tui.screens.signing_links import SigningLinksScreen
from lsc_tui.tui.widgets.key_footer import KeyFooter
from lsc_tui.tui.widgets.tick_box import TickBox
from tests.integration.signature_kit import make_pdf
from tests.tui.helpers import running, screen_text, settle

SIZE = (80, 24)


async def test_missing_id_named_then_filled_then_signed_in_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "avenant.pdf").write_bytes(make_pdf(pages=1))
    monkeypatch.setenv("HOME", str(home))  # where the folder list starts
    ctx = seed_demo(tmp_path / "demo")
    party = next(p for p in ctx.repos.parties.all() if p.email == "luc.andre@exemple.fr")
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", *"luc.andre", "enter", "a", "s")
        await settle(pilot)
        assert isinstance(app.screen, SignFromPartyScreen), screen_text(app)
        assert "pièce d'identité manquante" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "ANDRÉ : pièce d'identité manquante" in screen_text(app)
        assert not [r for r in ctx.repos.signatures.all() if not r.event_id]  # nothing made

        await pilot.press("escape", "enter")  # back to the list, then the party's form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, PartyFormScreen)
        form.query_one("#id_kind", Select).value = "cni"
        form.query_one("#id_number", Input).value = "X4RTBPFW4"
        form.query_one("#id_valid_until", Input).value = "02/03/2032"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ctx.repos.parties.require(party.id).id_document == IdDocument("cni", "X4RTBPFW4", "2032-03-02")

        await pilot.press("a", "s")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SignFromPartyScreen) and "complet" in screen_text(app)
        assert screen.query_one(KeyFooter).overflows is False  # its keys fit 80 columns
        await pilot.press("down", "enter")  # the folder list: the parent first, then the PDF
        await settle(pilot)
        assert screen.files == [str(home / "avenant.pdf")] and "1. avenant.pdf" in screen_text(app)
        screen.query_one(TickBox).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        links = app.screen
        assert isinstance(links, SigningLinksScreen), screen_text(app)
        assert "André" in screen_text(app) or "ANDRÉ" in screen_text(app)
        assert "signature" in screen_text(app).lower()
        [made] = [r for r in ctx.repos.signatures.all() if not r.event_id]
        assert made.in_person and made.title.startswith("avenant") and made.remote_id
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (SigningLinksScreen, SignFromPartyScreen))
        await pilot.press("f6", "slash", *made.title, "enter", "enter")  # its fiche: the links again
        await settle(pilot)
        assert "Sans événement" in screen_text(app) and "présentiel" in screen_text(app)
        await pilot.press("a", "l")
        await settle(pilot)
        assert isinstance(app.screen, SigningLinksScreen), screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert running(app)
