"""Validation des envois (L4, L5) — opened by « Envoyer en AR » (F7, `a` then `r`) on the ticked events.

The kind for everyone (LRE qualifiée eIDAS, ERE simple / Avis électronique, LR papier — with colour and
recto-verso for paper), « Information sur l'envoi » (how many letters, how many errors), the
« Récapitulatif des erreurs » (each party and why; Enter opens the party's form; `p` switches that recipient
to paper), a tab per event, « Lister les événements en erreur », « Recalculer les erreurs », « Retour », and
« Préparer »: the progress screen, one result per letter, letters in `to_valid`.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from lsc_tui.domain.letters import LetterKind
from lsc_tui.services import consent_links, letter_plan, letter_preparing
from lsc_tui.services.batches import BatchReport
from lsc_tui.services.letter_plan import PlannedLetter, SendingPlan, SendOptions
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.batch_progress import BatchProgressScreen
from lsc_tui.tui.screens.party_form import PartyFormScreen
from lsc_tui.tui.widgets.record_list import Column, RecordList

RECAP = "recap"
KINDS = (LetterKind.EIDAS, LetterKind.SIMPLE, LetterKind.PAPER)


def _key(x: PlannedLetter) -> str:
    return f"{x.event_id}|{x.party_id}"


def error_rows(plan: SendingPlan, hints: dict[str, str] | None = None) -> list[Row]:
    """One row per letter in error; `hints`: party id → the email AR24 knows a consent for (`e` takes it)."""
    titles = {e.event.id: e.event.title for e in plan.events}
    hints = hints or {}
    out = []
    for x in plan.errors:
        why = "; ".join(x.problems)
        if x.party_id in hints:
            why += f" ; AR24 : {hints[x.party_id]} (e)"
        out.append(Row(_key(x), (x.party_name, why, x.kind.label, titles.get(x.event_id, "")), "", "warning"))
    return out


def event_rows(plan: SendingPlan, event_id: str) -> list[Row]:
    found = next((e for e in plan.events if e.event.id == event_id), None)
    if found is None:
        return []
    out = []
    for x in found.letters:
        state = "; ".join(x.problems) or (f"déjà préparée ({x.existing})" if x.existing else "prête")
        out.append(
            Row(
                _key(x),
                (x.party_name, x.kind.label, x.email or "—", state),
                "",
                "warning" if x.problems else "",
            )
        )
    return out


class LetterSendingScreen(BaseScreen):
    TITLE_FR = "Validation des envois"
    WATCHES: frozenset[str] = (
        frozenset()
    )  # recomputed on demand (« Recalculer »), never under the user's eyes
    BINDINGS = keys.bindings(keys.SENDING)
    PALETTE = tuple(keys.palette_only(keys.SENDING))
    DEFAULT_CSS = """
    LetterSendingScreen #sending-kind, LetterSendingScreen #sending-info { height: auto; padding: 0 1; }
    LetterSendingScreen #sending-info { color: $warning; }
    LetterSendingScreen #sending-info.ok { color: $success; }
    LetterSendingScreen TabbedContent { height: 1fr; }
    LetterSendingScreen #recap-why { height: 2; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, event_ids: list[str], plan: SendingPlan) -> None:
        super().__init__()
        self.event_ids = event_ids
        self.plan = plan
        self.only_errors = False
        self.hidden: set[int] = set()
        self.hints: dict[str, str] = {}
        self.asked: set[str] = set()

    @property
    def options(self) -> SendOptions:
        return self.plan.options

    def compose_body(self) -> ComposeResult:
        with Vertical(classes="list-body"):
            yield Static("", id="sending-kind", markup=False)
            yield Static("", id="sending-info", markup=False)
            with TabbedContent(id="sending-tabs", initial=RECAP):
                with TabPane("Récapitulatif des erreurs", id=RECAP):
                    yield RecordList(self._columns("Pourquoi"), tickable=False, id="recap-list")
                for index, e in enumerate(self.plan.events):
                    label = e.event.chrono or (
                        e.event.party_names[0] if e.event.party_names else f"n° {index + 1}"
                    )
                    with TabPane(label, id=f"ev-{index}"):
                        yield RecordList(self._columns("État"), tickable=False, id=f"ev-list-{index}")
            yield Static("", id="recap-why", markup=False)

    @staticmethod
    def _columns(last: str) -> tuple[Column, ...]:
        if last == "Pourquoi":
            # at 80 columns the reason (and AR24's email) is what counts: the kind and the event make way
            return (Column("Tiers", 4, 16), Column("Pourquoi", 6, 50), Column("Type", 2, 12, drop=1),
                    Column("Événement", 3, 12, drop=2))  # fmt: skip
        return (Column("Tiers", 4, 16), Column("Type", 2, 12, drop=2), Column("Email", 3, 14, drop=1),
                Column("État", 4, 14))  # fmt: skip

    def on_mount(self) -> None:
        self.show_plan(self.plan)
        recap = self.query_one("#recap-list", RecordList)
        recap.focus()
        self.watch(recap, "cursor", self._show_why, init=False)

    def _show_why(self, _cursor: int = 0) -> None:
        """The recap's row under the cursor in full: at 80 columns the column cuts the reason."""
        recap = self.query_one("#recap-list", RecordList)
        row = recap.rows[recap.cursor] if 0 <= recap.cursor < len(recap.rows) else None
        why = self.query_one("#recap-why", Static)
        if row is None or not row.cells[1]:
            why.update("")
            return
        keys_ = " (l : lui envoyer le lien ; p : papier)" if "consentement" in row.cells[1] else ""
        why.update(f"{row.cells[0]} : {row.cells[1]}{keys_}")

    def show_plan(self, plan: SendingPlan) -> None:
        if not self.is_attached or (self.app.screen is not self and self not in self.app.screen_stack):
            return  # an answer arriving after the screen closed
        self.plan = plan
        o = plan.options
        paper = f" · papier : {'couleur' if o.color else 'N&B'}, {'recto-verso' if o.duplex else 'recto'}"
        self.query_one("#sending-kind", Static).update(
            f"Type d'envoi (ctrl+k) : {o.kind.label}{paper if o.kind is LetterKind.PAPER or o.overrides else ''}"
            f"\n{o.kind.help}"
        )
        info = self.query_one("#sending-info", Static)
        info.update(f"Information sur l'envoi : {plan.summary()}")
        info.set_class(not plan.errors, "ok")
        recap = self.query_one("#recap-list", RecordList)
        self._ask_hints(plan)
        rows = error_rows(plan, self.hints) or [
            Row("none", ("Aucune erreur : Ctrl+S pour préparer les lettres.", "", "", ""))
        ]
        recap.set_rows(rows_of(rows))
        self._show_why()
        tabs = self.query_one("#sending-tabs", TabbedContent)
        in_error = set(letter_plan.error_events(plan))
        for index, e in enumerate(plan.events):
            self.query_one(f"#ev-list-{index}", RecordList).set_rows(rows_of(event_rows(plan, e.event.id)))
            hide = self.only_errors and e.event.id not in in_error
            if hide != (index in self.hidden):
                (tabs.hide_tab if hide else tabs.show_tab)(f"ev-{index}")
                self.hidden.symmetric_difference_update({index})

    def _ask_hints(self, plan: SendingPlan) -> None:
        """AR24's emails for the parties in error, asked once each, quietly (no AR24: no hint)."""
        new = [x.party_id for x in plan.errors if x.party_id not in self.asked]
        if new and not self.ctx.readonly:
            self.asked.update(new)
            self.call_service(consent_links.ar24_emails, self.ctx, list(dict.fromkeys(new)), on_result=self._hinted,
                              on_error=lambda _error: None, group="hints")  # fmt: skip

    def _hinted(self, hints: dict[str, str]) -> None:
        if hints:
            self.hints.update(hints)
            self.show_plan(self.plan)

    def reload(self) -> None:
        """Back from a party's form (or F5): the plan is read again, quietly."""
        self.call_service(letter_plan.build_plan, self.ctx, self.event_ids, self.options, on_result=self.show_plan,
                          group="plan")  # fmt: skip

    # ---- actions --------------------------------------------------------------------------------------

    def action_recompute(self) -> None:
        """« Recalculer les erreurs »."""
        self.call_service(
            letter_plan.build_plan, self.ctx, self.event_ids, self.options, on_result=self._recomputed,
            group="plan",
        )  # fmt: skip

    def _recomputed(self, plan: SendingPlan) -> None:
        self.show_plan(plan)
        self.notify(f"Erreurs recalculées : {len(plan.errors)}.", timeout=3)

    def action_next_kind(self) -> None:
        kind = KINDS[(KINDS.index(self.options.kind) + 1) % len(KINDS)]
        o = self.options
        self._with(SendOptions(kind, o.color, o.duplex, o.overrides))

    def action_toggle_color(self) -> None:
        o = self.options
        self._with(SendOptions(o.kind, not o.color, o.duplex, o.overrides))

    def action_toggle_duplex(self) -> None:
        o = self.options
        self._with(SendOptions(o.kind, o.color, not o.duplex, o.overrides))

    def _with(self, options: SendOptions) -> None:
        self.call_service(letter_plan.build_plan, self.ctx, self.event_ids, options, on_result=self.show_plan,
                          group="plan")  # fmt: skip

    def _current(self) -> tuple[str, str] | None:
        lst = self._focused_list()
        key = lst.current_key if lst is not None else None
        if not key or "|" not in key:
            return None
        event_id, party_id = key.split("|", 1)
        return event_id, party_id

    def _focused_list(self) -> RecordList | None:
        focused = self.app.focused
        if isinstance(focused, RecordList):
            return focused
        tabs = self.query_one("#sending-tabs", TabbedContent)
        pane = tabs.active_pane
        return pane.query_one(RecordList) if pane is not None else None

    def action_to_paper(self) -> None:
        """One key: this recipient gets a paper letter (a private person without consent, L4)."""
        current = self._current()
        if current is None:
            self.notify(
                "Placez-vous sur un destinataire du récapitulatif ou d'un onglet.", severity="warning"
            )
            return
        self._with(self.options.with_kind(current[0], current[1], LetterKind.PAPER))

    def action_take_ar24_email(self) -> None:
        """`e`: the email (and consent) AR24 knows for this party, instead of typing it (DEMO step 6)."""
        current = self._current()
        if current is None or current[1] not in self.hints:
            self.notify(
                "AR24 ne connaît pas d'autre email consenti pour ce destinataire.", severity="warning"
            )
            return
        self.hints.pop(current[1])
        self.call_service(consent_links.take_ar24_email, self.ctx, current[1], on_result=self._taken)

    def _taken(self, sentence: str) -> None:
        self.notify(sentence, timeout=5)
        self.action_recompute()

    def action_send_consent_link(self) -> None:
        """`l`: AR24 emails this recipient the link with which they give consent (L2)."""
        current = self._current()
        if current is None:
            self.notify(
                "Placez-vous sur un destinataire du récapitulatif ou d'un onglet.", severity="warning"
            )
            return
        self.call_service(consent_links.request_link, self.ctx, current[1],
                          on_result=lambda sentence: self.notify(sentence, timeout=6))  # fmt: skip

    @on(RecordList.Opened)
    def _open_party(self, message: RecordList.Opened) -> None:
        """Enter on a recipient: its party form; back here, the errors are recomputed."""
        if "|" not in message.key:
            return
        party_id = message.key.split("|", 1)[1]
        self.app.push_screen(
            PartyFormScreen(party_id), lambda _: self.action_recompute()
        )  # resume reloads too

    def action_only_errors(self) -> None:
        self.only_errors = not self.only_errors
        self.show_plan(self.plan)
        self.notify("Seuls les événements en erreur sont listés." if self.only_errors else "Tous les événements.",
                    timeout=3)  # fmt: skip

    def action_next_tab(self) -> None:
        tabs = self.query_one("#sending-tabs", TabbedContent)
        shown = [RECAP] + [
            f"ev-{i}" for i, e in enumerate(self.plan.events)
            if not self.only_errors or e.event.id in set(letter_plan.error_events(self.plan))
        ]  # fmt: skip
        current = tabs.active if tabs.active in shown else RECAP
        tabs.active = shown[(shown.index(current) + 1) % len(shown)]
        pane = tabs.active_pane
        if pane is not None:
            pane.query_one(RecordList).focus()

    def action_prepare(self) -> None:
        if self.ctx.readonly:
            self.notify("Lecture seule : rien ne peut être envoyé.", severity="warning")
            return
        if self.plan.errors:
            self.notify(
                f"{len(self.plan.errors)} erreur(s) : corrigez-les (Entrée : fiche du tiers ; p : papier) puis"
                " recalculez (ctrl+r).", severity="warning", timeout=8,
            )  # fmt: skip
            return
        count = len(self.plan.to_prepare)
        if not count:
            self.notify("Toutes ces lettres sont déjà préparées.", severity="warning")
            return
        screen = BatchProgressScreen(
            f"Préparation de {count} lettre(s) recommandée(s)", letter_preparing.prepare, self.ctx,
            self.event_ids, self.options, noun="lettre",
        )  # fmt: skip
        self.app.push_screen(screen, self._prepared)

    def _prepared(self, report: BatchReport | None) -> None:
        if report is not None and report.all_ok:
            self.notify(f"{report.summary('lettre')}. Elles attendent la validation OTP (F9).", timeout=8)
            self.dismiss()
        else:
            self.action_recompute()
