"""Accueil's preferences (O1): which signature statuses the block shows, and after how many days a signed
file leaves it. Answers the chosen `HomePreferences`, or None when cancelled; nothing typed is lost on a
mistake: the dialog stays open with the reason under the field."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from lsc_tui.domain.preferences import HOME_STATUSES, HomePreferences, check_signed_days, home_label
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.tui import keys
from lsc_tui.tui.widgets.tick_box import TickBox


class HomePreferencesScreen(ModalScreen[HomePreferences | None]):
    BINDINGS = keys.bindings(keys.HOME_PREFERENCES)
    DEFAULT_CSS = """
    HomePreferencesScreen { align: center middle; }
    HomePreferencesScreen > Vertical { width: 66; max-width: 100%; height: auto; border: thick $accent;
                                       background: $surface; padding: 1 2; }
    HomePreferencesScreen TickBox { width: 100%; }
    HomePreferencesScreen .days { height: 1; margin-top: 1; }
    HomePreferencesScreen .days Input { width: 6; }
    HomePreferencesScreen .prefs-error { color: $error; height: auto; }
    """

    def __init__(self, current: HomePreferences, counts: dict[SignatureStatus, int]) -> None:
        super().__init__()
        self.current = current
        self.counts = counts

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Accueil — statuts de signature affichés[/b]\n")
            for status in HOME_STATUSES:
                count = self.counts.get(status, 0)
                yield TickBox(
                    f"{home_label(status)} ({count})",
                    status in self.current.statuses,
                    id=f"status-{status.value}",
                    compact=True,
                )
            yield Static("", id="statuses-error", classes="prefs-error", markup=False)
            with Horizontal(classes="days"):
                yield Label("Masquer les fiches signées depuis plus de ")
                days = self.current.signed_days
                yield Input(str(days) if days else "", id="signed_days", restrict=r"[0-9]{0,4}", compact=True)
                yield Label(" jours")
            yield Static("(vide : ne rien masquer)", classes="hint", markup=False)
            yield Static("", id="signed_days-error", classes="prefs-error", markup=False)
            yield Static("\nctrl+s enregistrer · Espace cocher · Échap annuler", markup=False)

    def on_mount(self) -> None:
        self.query_one(TickBox).focus()

    def chosen(self) -> tuple[HomePreferences | None, dict[str, str]]:
        """The preferences as ticked and typed, or the problems by field."""
        statuses = tuple(s for s in HOME_STATUSES if self.query_one(f"#status-{s.value}", TickBox).value)
        days, problem = check_signed_days(self.query_one("#signed_days", Input).value)
        errors = {"signed_days": problem} if problem else {}
        if not statuses:
            errors["statuses"] = "Cochez au moins un statut : sinon le bloc Signatures resterait vide."
        return (None if errors else HomePreferences(statuses, days)), errors

    def action_save(self) -> None:
        chosen, errors = self.chosen()
        for name in ("statuses", "signed_days"):
            self.query_one(f"#{name}-error", Static).update(errors.get(name, ""))
        if chosen is not None:
            self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
