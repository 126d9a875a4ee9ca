"""One path from a screen to a service (issue #8 §3): no store transaction on the UI thread, and a service
failing in a worker gives one French sentence while the screen keeps answering keys."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import pytest
from textual.widgets import Input, Static

from lsc_tui.services import parties, templates
from lsc_tui.services.errors import ServiceError
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.confirm import ConfirmScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.screens.template_form import TemplateFormScreen
from lsc_tui.tui.screens.templates import TemplatesScreen
from tests.fixtures import context
from tests.tui.helpers import running, screen_text, settle

SIZE = (120, 40)


def record_transaction_threads(store: Store) -> list[threading.Thread]:
    """Wrap this store's `transaction` to note the thread of every transaction opened through it."""
    threads: list[threading.Thread] = []
    original = store.transaction

    @contextlib.contextmanager
    def recorded() -> Iterator[object]:
        threads.append(threading.current_thread())
        with original() as tx:
            yield tx

    store.transaction = recorded  # type: ignore[method-assign]
    return threads


async def test_saving_a_party_and_a_template_writes_off_the_ui_thread(store: Store) -> None:
    threads = record_transaction_threads(store)
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Moreau" and p["first_name"] == "Léa"
    )
    template = next(t for t in store.select("templates") if t["name"] == "Bail colocation")
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        app.screen.query_one("#city", Input).value = "Villeurbanne"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PartyFormScreen)
        app.push_screen(TemplateFormScreen(template["id"]))
        await settle(pilot)
        await pilot.press("end", *" (2026)", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, TemplateFormScreen)
    pass
    assert store.get("parties", party["id"])["address"]["city"] == "Villeurbanne"
    assert store.get("templates", template["id"])["name"] == "Bail colocation (2026)"
    assert len(threads) == 2
    assert all(t is not threading.main_thread() for t in threads), threads


async def test_an_unexpected_error_in_a_worker_is_one_sentence_and_the_form_stays_usable(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("Moreau née Zorglub, IBAN FR76")  # personal data in the message: never shown

    monkeypatch.setattr(parties, "save_contact", broken)
    party = next(
        p for p in store.select("parties") if p["last_name"] == "Moreau" and p["first_name"] == "Léa"
    )
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(PartyFormScreen(party["id"]))
        await settle(pilot)
        form = app.screen
        form.query_one("#city", Input).value = "Bron"
        await pilot.press("ctrl+s")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert messages == ["Erreur inattendue : KeyError ; rien n'a été modifié."]
        assert "Erreur inattendue : KeyError" in screen_text(app)
        assert "Zorglub" not in screen_text(app) and "IBAN" not in screen_text(app)
        # the form is still there, keeps what was typed, and answers keys
        assert app.screen is form and form.query_one("#city", Input).value == "Bron"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen is form and running(app)
    assert store.get("parties", party["id"])["address"]["city"] != "Bron"


async def test_a_service_error_in_a_list_action_is_a_french_notification(store: Store) -> None:
    """Staff may not delete a template: the service says why, through the same path."""
    app = create_app(context(store, "julien"), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, TemplatesScreen)
        name = app.screen.query_one("#list").current_key
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert any("réservé aux administrateurs" in n.message for n in app._notifications)
        assert isinstance(app.screen, TemplatesScreen) and running(app)
        assert str(app.screen.query_one("#status", Static).content).startswith("9 / 9")
    assert templates.get(context(store), name) is not None


async def test_coroutine_services_run_as_async_workers_and_only_the_latest_exclusive_call_delivers(
    store: Store,
) -> None:
    """Provider calls are coroutine functions: same helper, async worker, same error handling."""
    delivered: list[tuple[str, bool]] = []
    errors: list[str] = []

    ran_on: list[threading.Thread] = []

    async def provider_ok(tag: str) -> str:
        ran_on.append(threading.current_thread())  # an async worker runs in the app's event loop
        return tag

    async def provider_refuses() -> None:
        raise ServiceError("Le prestataire refuse la demande : clé API invalide.")

    def slow_read(tag: str, release: threading.Event) -> str:
        release.wait(timeout=5)
        return tag

    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = app.screen
        on_ui = lambda value: delivered.append((value, threading.current_thread() is threading.main_thread()))  # noqa: E731
        screen.call_service(provider_ok, "async", on_result=on_ui)
        screen.call_service(provider_refuses, on_error=lambda e: errors.append(e.message))
        screen.call_service(provider_refuses)  # no on_error: a notification
        first, second = threading.Event(), threading.Event()
        screen.call_service(slow_read, "stale", first, on_result=on_ui, group="load", exclusive=True)
        screen.call_service(slow_read, "fresh", second, on_result=on_ui, group="load", exclusive=True)
        second.set()
        for _ in range(500):  # the second read answers first…
            if ("fresh", True) in delivered:
                break
            await pilot.pause()
        assert delivered[-1] == ("fresh", True)
        first.set()  # …and the first one last: it must not overwrite the second
        await settle(pilot)
        assert delivered == [("async", True), ("fresh", True)]
        assert ran_on == [threading.main_thread()]
        assert errors == ["Le prestataire refuse la demande : clé API invalide."]
        assert [n.message for n in app._notifications] == [
            "Le prestataire refuse la demande : clé API invalide."
        ]
        assert not screen.service_busy("load")


async def test_a_bug_in_a_key_handler_ends_with_one_line_and_no_locals(
    store: Store, capfd: pytest.CaptureFixture[str]
) -> None:
    """Textual would print a traceback with local variables (a client's name here); we print one line."""
    from lsc_tui.tui.screens.accueil import AccueilScreen

    secret_client = "Mme SECRET Cliente"

    def broken(self: AccueilScreen) -> None:
        record = {"name": secret_client}
        raise KeyError(record["missing"])

    AccueilScreen.action_broken = broken  # type: ignore[attr-defined]
    app = create_app(context(store), poll_seconds=0)
    try:
        with contextlib.suppress(KeyError):  # run_test re-raises the app's exception for test frameworks
            async with app.run_test(size=(80, 24)) as pilot:
                await settle(pilot)
                app.screen.call_later(app.screen.action_broken)  # as a key binding would, in the message loop
                await pilot.pause()
    finally:
        del AccueilScreen.action_broken  # type: ignore[attr-defined]
    printed = capfd.readouterr()
    shown = printed.out + printed.err
    assert app.return_code == 70
    assert "lsc-tui : erreur inattendue (KeyError)" in shown
    assert secret_client not in shown and "Traceback" not in shown and "locals" not in shown
