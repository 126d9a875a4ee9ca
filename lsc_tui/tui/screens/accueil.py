"""Accueil (F2): the agency's signature block (O1) beside the counts of every status, letters included.

The block lists the files in the statuses this user chose (`p`), the ones expiring within three days first;
a refusal carries its reason on its row, and one arriving while Accueil is open is also announced at once.
Enter on a file opens it; Enter on a count opens the list of that status. Accueil is also the door to the
follow-up screens: `j` Journal, `c` Consommation, `m` Modèles de messages.
"""

from __future__ import annotations

from concurrent.futures import Future

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import Static

from lsc_tui.domain.preferences import EXPIRING_DAYS, HomePreferences, home_label
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.services import home, preferences, session
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.text import markup, thousands
from lsc_tui.tui.widgets.record_list import Column, RecordList

ALERT = {"error", "declined", "to_valid", "bounced"}
ANNOUNCED = 3
COUNTS_WITHIN_S = 0.1
"""How long Accueil, composed, waits for the counts the start's helper sends ~30 ms after who acts
(cli/first_reads.py): a first frame without them and a second one with them cost 40–90 ms more than the wait."""
"""New refusals announced one by one at most; beyond, one line says how many."""


class AccueilScreen(BaseScreen):
    WATCHES = session.SIGNATURES | session.LETTERS | session.SETTINGS
    TITLE_FR = "Accueil"
    BINDINGS = keys.bindings((*keys.ACCUEIL, *keys.HOME))
    DEFAULT_CSS = """
    AccueilScreen #home { height: 1fr; grid-size: 2 3; grid-columns: 40 1fr; grid-rows: 1 1fr 2; }
    AccueilScreen #counts { row-span: 3; height: 1fr; border-right: vkey $panel; }
    AccueilScreen #agency { height: 1; padding: 0 1; }
    AccueilScreen #file-detail { height: 2; padding: 0 1; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.summary: home.HomeSummary | None = None
        self.arriving: Future[home.HomeSummary | None] | None = None
        """The start's helper's counts, until they come (cli/first_reads.py)."""
        self.shown: home.HomeFiles | None = None
        self.refused: frozenset[str] | None = None
        """Every refused file known to this screen (None until first read): one more is announced."""
        self.refused_count = -1
        self.pinned: list[home.HomeFile] = []
        """Refusals that arrived while Accueil was open: at the top of the block until the session ends."""

    def compose_body(self) -> ComposeResult:
        with Grid(id="home"):  # one grid, no container per column: fewer widgets to style and draw at start
            yield RecordList(
                [Column("Domaine", 0, 9), Column("Statut", 3, 17), Column("Nb", 0, 9)],
                tickable=False,
                id="counts",
            )
            yield Static("Signatures électroniques", id="agency")
            yield RecordList(
                [
                    Column("Statut", 0, 9),
                    Column("Objet", 4, 12),
                    Column("Signataires", 3, 10, drop=2),
                    Column("Date", 0, 10, drop=1),
                    Column("Remarque", 5, 12),
                ],
                tickable=False,
                id="files",
            )
            yield Static("", id="file-detail")
        yield Static("", id="home-status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        files = self.query_one("#files", RecordList)
        files.focus()
        self.watch(files, "cursor", self._show_current, init=False)

    def _show_current(self, _cursor: int = 0) -> None:
        """The row under the cursor in full (the columns cut a refusal's reason at 80 columns)."""
        files = self.query_one("#files", RecordList)
        key = files.current_key
        found = next((f for f in self._files() if f.id == key), None)
        detail = self.query_one("#file-detail", Static)
        if found is None:
            detail.update("")
            return
        note = f" — {found.note}" if found.note else ""
        detail.update(
            markup("$status : « $title »$note", status=home_label(found.status), title=found.title, note=note)
        )

    class SummaryArrived(Message):
        """The counts the start's helper read have come (None: it ended without them)."""

        def __init__(self, arriving: Future[home.HomeSummary | None]) -> None:
            super().__init__()
            self.arriving = arriving

    def reload(self) -> None:
        """The counts first (from the store's summaries: instant), then the files of the chosen statuses."""
        first = self.lsc.take_first_summary()
        if isinstance(first, Future):
            try:
                first = first.result(timeout=COUNTS_WITHIN_S)
            except TimeoutError:  # still on their way from the start's helper: shown as they come
                self.arriving = first
                first.add_done_callback(lambda done: self.post_message(self.SummaryArrived(done)))
                return
        self.arriving = None
        if first is not None:  # read by the start: shown by the first frame
            self._show_summary(first)
            return
        self._ask_summary()

    def _ask_summary(self) -> None:
        self.call_service(home.summary, self.ctx, on_result=self._show_summary, group="home", exclusive=True)

    def on_accueil_screen_summary_arrived(self, message: SummaryArrived) -> None:
        if message.arriving is not self.arriving:  # a later reload asked the store itself
            return
        self.arriving = None
        summary = message.arriving.result()
        if summary is None:
            self._ask_summary()
        else:
            self._show_summary(summary)

    # ---- showing -----------------------------------------------------------------------------------

    def _show_summary(self, summary: home.HomeSummary) -> None:
        self.summary = summary
        title = summary.agency or "Le cabinet"
        self.query_one("#agency", Static).update(
            markup("[b]$agency[/b] — signatures électroniques", agency=title)
        )
        counts = [
            Row(f"signature:{s.value}", ("Signature", home_label(s), thousands(n)), "", self._style(s, n))
            for s, n in summary.counts.items()
            if s in summary.preferences.statuses
        ]
        counts += [
            Row(
                f"letter:{c.status}",
                ("Lettre", c.label, thousands(c.count)),
                "",
                self._style(c.status, c.count),
            )
            for c in summary.letters
        ]
        self.query_one("#counts", RecordList).set_rows(rows_of(counts))
        self.call_after_refresh(self._after_counts, summary)

    def _after_counts(self, summary: home.HomeSummary) -> None:
        """Once the counts are painted: the files and the refusals, then the app's warm-up. Started with the
        counts, their worker threads took the GIL turn about with the first frame's drawing (on PostgreSQL,
        the first of them opens the store: the driver's import)."""
        refusals = summary.counts[SignatureStatus.DECLINED]
        if SignatureStatus.DECLINED in summary.preferences.statuses and refusals != self.refused_count:
            self.refused_count = refusals
            self.call_service(
                home.refused_ids, self.ctx, on_result=self._compare_refusals, group="home-refused"
            )
        self.call_service(
            home.files,
            self.ctx,
            summary.preferences,
            on_result=self._show_files,
            group="home-files",
            exclusive=True,
        )
        self.lsc.accueil_shown()

    def _show_files(self, shown: home.HomeFiles) -> None:
        self.shown = shown
        self._show_rows()

    def _files(self) -> list[home.HomeFile]:
        pinned = {f.id for f in self.pinned}
        return [*self.pinned, *(f for f in (self.shown.files if self.shown else ()) if f.id not in pinned)]

    def _show_rows(self) -> None:
        files = self._files()
        rows = [
            Row(
                f.id,
                (home_label(f.status), f.title, f.signers, f.date, f.note),
                "",
                "warning" if f.alert else "",
            )
            for f in files
        ]
        self.query_one("#files", RecordList).set_rows(rows_of(rows))
        self._show_current()
        self.query_one("#home-status", Static).update(self._status(len(files)))

    @staticmethod
    def _style(status: str, count: int) -> str:
        return "warning" if status in ALERT and count else ""

    def _status(self, n: int) -> str:
        parts = [f"{n} fiche{'s' if n > 1 else ''}"]
        expiring = self.shown.expiring if self.shown else 0
        if expiring:
            parts.append(f"{expiring} expire{'nt' if expiring > 1 else ''} sous {EXPIRING_DAYS} jours")
        days = self.summary.preferences.signed_days if self.summary else None
        if days:
            parts.append(f"signées depuis plus de {days} j masquées")
        parts.append("Tab : changer de bloc")
        return " · ".join(parts)

    def _compare_refusals(self, ids: frozenset[str]) -> None:
        known, self.refused = self.refused, ids
        new = sorted(ids - known) if known is not None else []
        if new:
            self.call_service(home.refusals, self.ctx, new, on_result=self._announce, group="home-refusals")

    def _announce(self, arrived: list[home.HomeFile]) -> None:
        """Each new refusal with its reason (a few at most, then how many more), pinned at the top."""
        for f in arrived[:ANNOUNCED]:
            reason = f" — {f.note}" if f.note else ""
            self.notify(f"Signature refusée : « {f.title} »{reason}", severity="warning", timeout=15)
        if len(arrived) > ANNOUNCED:
            self.notify(
                f"{len(arrived) - ANNOUNCED} autres refus : en tête du bloc Signatures.", severity="warning"
            )
        self.pinned = [*arrived, *(f for f in self.pinned if f.id not in {a.id for a in arrived})]
        self._show_rows()

    # ---- keys --------------------------------------------------------------------------------------

    @on(RecordList.Opened, "#files")
    def _open_file(self, message: RecordList.Opened) -> None:
        from lsc_tui.tui.screens.signature_detail import SignatureDetailScreen  # heavy: not before Accueil

        self.app.push_screen(SignatureDetailScreen(message.key))

    @on(RecordList.Opened, "#counts")
    def _drill(self, message: RecordList.Opened) -> None:
        kind, status = message.key.split(":", 1)
        self.lsc.goto("signatures" if kind == "signature" else "lettres", status=status)

    def action_preferences(self) -> None:
        from lsc_tui.tui.screens.home_preferences import HomePreferencesScreen  # imports the PDF layer

        if self.summary is None:
            return
        self.app.push_screen(
            HomePreferencesScreen(self.summary.preferences, self.summary.counts), self._chosen
        )

    def _chosen(self, chosen: HomePreferences | None) -> None:
        if chosen is None:
            return
        self.call_service(
            preferences.save_home,
            self.ctx,
            chosen,
            on_result=self._saved,
            on_error=self._refused,
            group="home-preferences",
        )

    def _saved(self, _saved: HomePreferences) -> None:
        self.notify("Préférences de l'accueil enregistrées (pour vous seul).")
        self.reload()

    def _refused(self, error: ServiceError) -> None:
        self.notify_error(error.message)

    def action_signature_settings(self) -> None:
        self.lsc.action_signature_settings()
