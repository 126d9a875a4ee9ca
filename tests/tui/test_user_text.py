"""User text is data, never markup (issue #7 §4): names, titles and notes that look like Rich/Textual markup are
shown literally on every screen, in every dialog and notification, and cannot crash or quit the app."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from lsc_tui.domain.models import (
    Entity,
    Event,
    EventParty,
    LetterKind,
    Party,
    PartyKind,
    Placement,
    RegisteredLetter,
    SignatureRequest,
    Signer,
    Template,
)
from lsc_tui.domain.roles import Role
from lsc_tui.domain.statuses import LetterStatus, SignatureStatus
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.actions import ActionMenu
from lsc_tui.tui.screens.help import HelpScreen
from lsc_tui.tui.screens.letter_detail import LetterDetailScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.placement import PlacementScreen
from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen
from tests.fixtures import FIXED_NOW, context, seeded_store
from tests.tui.helpers import running, screen_text, settle

SIZE = (160, 50)
NOW = FIXED_NOW.isoformat(timespec="seconds")

USER_NAME = "Claire [/] [b]M[/b]"
PARTY_LAST = "Zorglub [/]"
PARTY_FIRST = "[bold]Jean[/bold]"
PARTY_SHOWN = "M. ZORGLUB [/] [bold]Jean[/bold]"
COMPANY = "[@click=app.quit]Zorglub SCI[/]"
ENTITY = "Rés. [red]Zorglub[/red]"
TEMPLATE = "Zorglub [/] [b]x[/b]"
TEMPLATE_SUBJECT = "Objet {[/]}"
TEMPLATE_KIND = "[/] [b]genre"
TEMPLATE_BODY = "Zorglub [/] [@click=app.quit]ici[/]"
EVENT = "Zorglub [@click=app.quit]q[/] [/]"
SIGNATURE = "Zorglub sig [/] [i]x[/i]"
REASON = "[/] refus [@click=app.quit]x[/]"
LETTER_SUBJECT = "[@click=app.quit]Zorglub objet[/]"
LETTER_ERROR = "Erreur [/] [b]"
ESCAPES = "Zorglub\x1b[2J\x1b]0;titre\x07 SARL"
ESCAPES_SHOWN = "Zorglub�[2J�]0;titre� SARL"


def rec(obj: Entity | Party | Template | Event | SignatureRequest | RegisteredLetter) -> dict:
    """A record to insert: the store gives the id."""
    data = obj.to_record()
    data.pop("id")
    return data


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """The demo agency plus one record of each kind whose every text looks like markup."""
    store = seeded_store(tmp_path / "data")
    with store.transaction() as tx:
        tx.insert("users", {"login": "zorg", "name": USER_NAME, "email": "z@example.fr", "role": "admin"})
        entity = tx.insert("entities", rec(Entity(name=ENTITY)))
        person = tx.insert(
            "parties",
            rec(
                Party(
                    last_name=PARTY_LAST,
                    first_name=PARTY_FIRST,
                    civility="M.",
                    email="zorglub@exemple.fr",
                    mobile="+33611223344",
                )
            ),
        )
        tx.insert(
            "parties",
            rec(Party(last_name="", kind=PartyKind.COMPANY, company_name=COMPANY, representative="[/]")),
        )
        tx.insert("parties", rec(Party(last_name="", kind=PartyKind.COMPANY, company_name=ESCAPES)))
        template = tx.insert(
            "templates",
            rec(
                Template(
                    name=TEMPLATE,
                    kind=TEMPLATE_KIND,
                    subject=TEMPLATE_SUBJECT,
                    body=TEMPLATE_BODY,
                    roles=frozenset({Role.OWNER}),
                    placements=(Placement(Role.OWNER),),
                )
            ),
        )
        event = tx.insert(
            "events",
            rec(
                Event(
                    entity_id=entity["id"],
                    template_id=template["id"],
                    title=EVENT,
                    created_at=NOW,
                    parties=(EventParty(person["id"], Role.OWNER),),
                )
            ),
        )
        tx.insert(
            "signature_requests",
            rec(
                SignatureRequest(
                    event_id=event["id"],
                    entity_id=entity["id"],
                    title=SIGNATURE,
                    created_at=NOW,
                    status=SignatureStatus.DECLINED,
                    sent_at=NOW,
                    reason=REASON,
                    signers=(
                        Signer(Role.OWNER, PARTY_LAST, PARTY_FIRST, "zorglub@exemple.fr", "+33611223344"),
                    ),
                )
            ),
        )
        tx.insert(
            "letters",
            rec(
                RegisteredLetter(
                    event_id=event["id"],
                    entity_id=entity["id"],
                    party_id=person["id"],
                    kind=LetterKind.EIDAS,
                    created_at=NOW,
                    status=LetterStatus.REFUSED,
                    recipient_name=PARTY_SHOWN,
                    subject=LETTER_SUBJECT,
                    deposit_date=NOW,
                    error=LETTER_ERROR,
                )
            ),
        )
    return store


async def test_event_list_menu_detail_party_form_and_notification(store: Store) -> None:
    app = create_app(context(store, "zorg"), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert USER_NAME in screen_text(app)  # the header
        await pilot.press("f7", "slash", *"zorglub", "enter")
        await settle(pilot)
        assert EVENT in screen_text(app)
        await pilot.press("a")  # the actions menu names the event
        await settle(pilot)
        assert isinstance(app.screen, ActionMenu)
        assert EVENT in screen_text(app)
        await pilot.press("escape", "enter")
        await settle(pilot)
        text = screen_text(app)
        for literal in (EVENT, ENTITY, TEMPLATE, PARTY_SHOWN):
            assert literal in text, literal
        await pilot.press("t")  # the party's form
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        assert PARTY_SHOWN in screen_text(app)
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"Lyon", "ctrl+s")
        await settle(pilot)
        assert f"Fiche de {PARTY_SHOWN} enregistrée." in screen_text(app)
        assert running(app)


async def test_parties_list_menu_and_company_form(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3", "slash", *"zorglub", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert PARTY_SHOWN in text and COMPANY in text
        assert ESCAPES_SHOWN in text and "\x1b" not in text  # no escape sequence reaches the terminal
        await pilot.press("a")
        await settle(pilot)
        assert running(app)
        await pilot.press("escape")
        await pilot.press("slash", *" sci", "enter", "enter")  # narrow to the company, open its form
        await settle(pilot)
        assert isinstance(app.screen, PartyFormScreen)
        assert COMPANY in str(app.screen.query_one("#party-title", Static).content)
        assert running(app)


async def test_template_list_form_placement_tool_and_confirm(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4", "slash", *"zorglub", "enter")
        await settle(pilot)
        assert TEMPLATE in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert TEMPLATE in text  # the name field
        assert TEMPLATE_KIND in text  # a kind the app does not know, in the kind selector
        assert "Variable inconnue : {[/]}" in text  # the unknown variable, as typed
        await pilot.press("ctrl+o", "enter")  # the placement tool on the row
        await settle(pilot)
        assert isinstance(app.screen, PlacementScreen)
        assert "Zorglub [/]" in screen_text(app)  # the template's text drawn on the page preview
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert f"Supprimer le modèle « {TEMPLATE} » ?" in screen_text(app)
        await pilot.press("n")
        await settle(pilot)
        assert running(app)


async def test_signature_and_letter_lists_details_and_help(store: Store) -> None:
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f6", "slash", *"zorglub", "enter")
        await settle(pilot)
        assert SIGNATURE in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignatureDetailScreen)
        text = screen_text(app)
        for literal in (SIGNATURE, REASON, PARTY_FIRST, PARTY_LAST):
            assert literal in text, literal
        await pilot.press("a")
        await settle(pilot)
        assert SIGNATURE in screen_text(app)
        await pilot.press("escape", "f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "f8", "slash", *"zorglub", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert PARTY_SHOWN[:20] in text and LETTER_SUBJECT in text  # the recipient column is cut with « … »
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LetterDetailScreen)
        text = screen_text(app)
        for literal in (PARTY_SHOWN, LETTER_SUBJECT, LETTER_ERROR):
            assert literal in text, literal
        assert running(app)
