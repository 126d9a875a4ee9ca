"""Consommation (O4): documents signed and signatures used, as bars per month — for the whole firm or for the
group under the cursor (a user, an entity, a signer, a provider). `p` changes the grouping, `m` the measure,
`f` the period, `e` exports the figures to CSV. Reached from Accueil (`c`) or the palette."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, Static

from lsc_tui.domain.periods import french_day, parse_day
from lsc_tui.services import consumption, exports, session
from lsc_tui.services.errors import ServiceError
from lsc_tui.services.listing import Row, rows_of
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import BaseScreen
from lsc_tui.tui.screens.export_path import export_with_dialog
from lsc_tui.tui.text import markup
from lsc_tui.tui.widgets.bars import chart, sparkline
from lsc_tui.tui.widgets.record_list import Column, RecordList

TOTAL = "__total__"


class GroupList(RecordList):
    """The groups: moving the cursor draws a group's bars; nothing opens (no « Entrée » in the footer)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "open" and super().check_action(action, parameters)


class ConsumptionScreen(BaseScreen):
    WATCHES = session.SIGNATURES
    TITLE_FR = "Consommation"
    BINDINGS = keys.bindings(keys.CONSUMPTION)
    DEFAULT_CSS = """
    ConsumptionScreen #consumption-bar { height: 1; padding: 0 1; }
    ConsumptionScreen #consumption-bar Label { padding: 0 1 0 0; }
    ConsumptionScreen #consumption-bar Input { width: 11; margin-right: 1; }
    ConsumptionScreen #consumption-bar Select { width: 1fr; min-width: 14; margin-right: 1; }
    ConsumptionScreen #chart-title { height: 1; padding: 0 1; }
    ConsumptionScreen #chart-box { height: auto; max-height: 13; padding: 0 1; }
    ConsumptionScreen #groups { height: 1fr; min-height: 4; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.found: consumption.Consumption | None = None
        self.measure = "documents"
        self.exported = ""

    def compose_body(self) -> ComposeResult:
        since, until = consumption.default_period(self.ctx.now().date())
        with Horizontal(id="consumption-bar"):
            yield Label("Du")
            yield Input(french_day(since), id="since", restrict=r"[0-9/\-]{0,10}", compact=True)
            yield Label("au")
            yield Input(french_day(until), id="until", restrict=r"[0-9/\-]{0,10}", compact=True)
            yield Label("Par")
            yield Select(
                [(v, k) for k, v in consumption.DIMENSIONS.items()],
                value="user",
                allow_blank=False,
                id="by",
                compact=True,
            )
            yield Select(
                [(v, k) for k, v in consumption.MEASURES.items()],
                value="documents",
                allow_blank=False,
                id="measure",
                compact=True,
            )
        with Vertical():
            yield Static("Calcul…", id="chart-title")
            with VerticalScroll(id="chart-box"):
                yield Static("", id="chart")
            yield GroupList(
                [
                    Column("Groupe", 4, 14),
                    Column("Docs", 0, 5),
                    Column("Sign.", 0, 5),
                    Column("Par mois", 2, 8, drop=1),
                ],
                tickable=False,
                id="groups",
            )
        yield Static("", id="status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        groups = self.query_one("#groups", RecordList)
        groups.focus()
        self.watch(groups, "cursor", self._draw, init=False)

    # ---- reading -----------------------------------------------------------------------------------

    @property
    def by(self) -> str:
        return str(self.query_one("#by", Select).value)

    def reload(self) -> None:
        since, problem = parse_day(self.query_one("#since", Input).value, "Du")
        until, problem_until = parse_day(self.query_one("#until", Input).value, "Au")
        if problem or problem_until or since is None or until is None:
            self.query_one("#chart-title", Static).update(
                problem or problem_until or "Indiquez le début et la fin."
            )
            return
        self.call_service(
            consumption.report,
            self.ctx,
            since,
            until,
            on_result=self._show,
            on_error=self._refused,
            group="consumption",
            exclusive=True,
        )

    def _refused(self, error: ServiceError) -> None:
        self.query_one("#chart-title", Static).update(error.message)

    def _show(self, found: consumption.Consumption) -> None:
        self.found = found
        groups = self.query_one("#groups", RecordList)
        shown = found.by[self.by]
        rows = [self._row(TOTAL, found.total)] + [self._row(g.key, g) for g in shown]
        groups.set_rows(rows_of(rows), keep_key=groups.current_key)
        self._draw()
        n = len(shown)
        what = consumption.DIMENSIONS[self.by].lower()
        self.query_one("#status", Static).update(
            f"{self.exported}{n} {what}{'s' if n > 1 else ''} · ↑↓ : un groupe · p : regrouper · m : mesure"
            " · e : exporter"
        )

    def _row(self, key: str, g: consumption.Group) -> Row:
        assert self.found is not None
        spark = sparkline(g.series(self.measure, self.found.months))
        return Row(key, (g.label, str(g.total_documents), str(g.total_signatures), spark))

    def _draw(self, _cursor: int = 0) -> None:
        found = self.found
        if found is None:
            return
        key = self.query_one("#groups", RecordList).current_key
        group = next((g for g in found.by[self.by] if g.key == key), found.total)
        measure = consumption.MEASURES[self.measure]
        total = group.total_documents if self.measure == "documents" else group.total_signatures
        period = f"du {french_day(found.since)} au {french_day(found.until)}"
        self.query_one("#chart-title", Static).update(
            markup(
                "[b]$measure[/b] par mois — $who : $total ($period)",
                measure=measure,
                who=group.label,
                total=total,
                period=period,
            )
        )
        width = self.query_one("#chart-box").size.width - 2 or 60
        values = group.series(self.measure, found.months)
        self.query_one("#chart", Static).update(chart(found.month_labels(), values, width))

    # ---- choices -----------------------------------------------------------------------------------

    @on(Select.Changed, "#by")
    def _by_changed(self) -> None:
        if self.found is not None:
            self._show(self.found)

    @on(Select.Changed, "#measure")
    def _measure_changed(self, event: Select.Changed) -> None:
        self.measure = str(event.value)
        if self.found is not None:
            self._show(self.found)

    @on(Input.Changed, "#since, #until")
    def _date_typed(self, event: Input.Changed) -> None:
        text = event.value.strip()
        if len(text) == 10 and not parse_day(text)[1]:
            self.reload()

    @on(Input.Submitted, "#since, #until")
    def _date_done(self, event: Input.Submitted) -> None:
        _day, problem = parse_day(event.value, "Du" if event.input.id == "since" else "Au")
        if problem:
            self.notify_error(problem)
        else:
            self.query_one("#groups", RecordList).focus()

    def _cycle(self, select_id: str, options: dict[str, str]) -> None:
        select: Select[Any] = self.query_one(f"#{select_id}", Select)
        names = list(options)
        select.value = names[(names.index(str(select.value)) + 1) % len(names)]

    def action_next_dimension(self) -> None:
        self._cycle("by", consumption.DIMENSIONS)

    def action_next_measure(self) -> None:
        self._cycle("measure", consumption.MEASURES)

    def action_filters(self) -> None:
        self.query_one("#since", Input).focus()

    def action_back(self) -> None:
        """Escape: from the choices back to the groups, then to Accueil."""
        bar = self.query_one("#consumption-bar")
        if self.focused is not None and bar in self.focused.ancestors:
            self.query_one("#groups", RecordList).focus()
        else:
            self.lsc.goto("accueil")

    def action_export(self) -> None:
        found = self.found
        if found is None:
            return
        what = (
            f"{consumption.MEASURES['documents']} et {consumption.MEASURES['signatures'].lower()} par mois,"
            f" par {consumption.DIMENSIONS[self.by].lower()}, du {french_day(found.since)} au {french_day(found.until)}"
        )
        default = f"~/consommation-{found.since.isoformat()}-{found.until.isoformat()}.csv"
        export_with_dialog(
            self,
            "Exporter la consommation en CSV",
            what,
            default,
            consumption.export_csv,
            self.ctx,
            found,
            self.by,
            done=self._exported,
        )

    def _exported(self, done: exports.Export) -> None:
        """Where the file went stays at the head of the status line (the notification fades)."""
        self.exported = f"Exporté : {done.rows} lignes dans {done.path} · "
        if self.found is not None:
            self._show(self.found)
