"""Placement tool (T6): the template rendered with sample data, a page at a time, and a box moved by keys.

Every key is one a terminal sends over SSH. Shift+arrows (fine steps) do not reach the app through some
terminals and multiplexers, so h j k l do the same and the side panel says so. Coordinates are whole PDF
points from the top-left of the page, as YouSign v3 takes them.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Static

from lsc_tui.domain.models import Placement, Template
from lsc_tui.services import rendering
from lsc_tui.services.context import AppContext
from lsc_tui.services.errors import ServiceError
from lsc_tui.tui import keys
from lsc_tui.tui.screens.base import ScreenBasics, bottom_bars
from lsc_tui.tui.widgets.page_preview import PagePreview
from lsc_tui.tui.widgets.title_bar import TitleBar

RESIZE_STEP = 10
KEYS_HELP = (
    "[b]Touches[/b]\n"
    "←↑↓→     1 case\n"
    "h j k l  1 pt\n"
    "Maj+←↑↓→ 1 pt\n"
    "+ / -    taille\n"
    "PgPréc   page préc.\n"
    "PgSuiv   page suiv.\n"
    "Entrée   valider\n"
    "Échap    annuler"
)


def sample_pages(ctx: AppContext, template: Template) -> list[rendering.PageLayout]:
    """The template rendered with sample data, laid out page by page (one worker call, off the UI thread)."""
    pdf = rendering.sample_render(ctx, template)
    return [rendering.page_text_layout(pdf.data, n) for n in range(1, len(pdf.pages) + 1)]


class PlacementScreen(ScreenBasics, ModalScreen[Placement | None]):
    """A dialog covering the screen: it answers the placed box by `dismiss`, or None on Escape."""

    TITLE_FR = "Placement des signatures"
    BINDINGS = keys.bindings(keys.PLACEMENT)
    DEFAULT_CSS = "PlacementScreen { background: $background; }"

    def __init__(self, template: Template, index: int) -> None:
        super().__init__()
        self.template = template
        self.index = index
        self.original = template.placements[index]
        self.placement = self.original
        self.layouts: list[rendering.PageLayout] = []
        self.step_x = 1
        self.step_y = 1

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield from self.compose_body()
        yield from bottom_bars()

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="placement-body"):
            yield PagePreview(id="preview")
            yield Static("", id="placement-side")
        yield Static("Mise en page de l'aperçu…", id="placement-status", classes="status-line", markup=False)

    def on_mount(self) -> None:
        self.sub_title = self.TITLE_FR
        self.query_one("#preview", PagePreview).border_title = self.placement.role.label
        self.call_service(
            sample_pages, self.ctx, self.template, on_result=self._pages_loaded, on_error=self._load_failed
        )

    def has_unsaved_changes(self) -> bool:
        return self.placement != self.original

    # ---- rendering -------------------------------------------------------------------------------------

    def _load_failed(self, error: ServiceError) -> None:
        self.notify_error(f"Aperçu impossible : {error.message}")
        self.query_one("#placement-status", Static).update(f"Aperçu impossible : {error.message}")

    def _pages_loaded(self, layouts: list[rendering.PageLayout]) -> None:
        self.layouts = layouts
        wanted = self.placement.page
        page = min(max(1, wanted), len(layouts))
        if page != wanted:
            self.notify(
                f"L'aperçu n'a que {len(layouts)} page(s) : le cadre est montré page {page}.",
                severity="warning",
            )
        self._set(self.placement.evolve(page=page))

    @property
    def current_layout(self) -> rendering.PageLayout | None:
        if not self.layouts:
            return None
        return self.layouts[self.placement.page - 1]

    def _set(self, placement: Placement) -> None:
        layout = self.layouts[placement.page - 1]
        self.placement = rendering.clamp_placement(placement, layout.width_pt, layout.height_pt)
        self._redraw()

    def _redraw(self) -> None:
        layout = self.current_layout
        if layout is None:
            return
        preview = self.query_one("#preview", PagePreview)
        cols, rows = preview.grid_size
        self.step_x = max(1, round(layout.width_pt / cols))
        self.step_y = max(1, round(layout.height_pt / rows))
        page = self.placement.page
        others = [
            rendering.box_cells(layout, p, cols, rows)
            for i, p in enumerate(self.template.placements)
            if i != self.index and p.page == page
        ]
        box = rendering.box_cells(layout, self.placement, cols, rows)
        preview.show(rendering.page_grid(layout, cols, rows), box, others)
        preview.border_subtitle = f"page {page}/{len(self.layouts)}"
        p = self.placement
        self.query_one("#placement-side", Static).update(
            f"[b]{p.role.label}[/b]\n"
            f"Page    {page} / {len(self.layouts)}\n"
            f"x       {p.x:.0f} pt\n"
            f"y       {p.y:.0f} pt\n"
            f"Largeur {p.width:.0f} pt\n"
            f"Hauteur {p.height:.0f} pt\n\n" + KEYS_HELP
        )
        self.query_one("#placement-status", Static).update(
            f"1 case = {self.step_x} × {self.step_y} pt · h j k l : 1 pt · Entrée : remplir la ligne"
        )

    @on(PagePreview.Resized)
    def _resized(self) -> None:
        self._redraw()

    # ---- keys ------------------------------------------------------------------------------------------

    def _page_size(self) -> tuple[float, float]:
        layout = self.current_layout
        assert layout is not None
        return layout.width_pt, layout.height_pt

    def action_move(self, dx: int, dy: int) -> None:
        """One grid cell: the box visibly moves on every press."""
        self.action_nudge(dx * self.step_x, dy * self.step_y)

    def action_nudge(self, dx: int, dy: int) -> None:
        if self.current_layout is None:
            return
        self.placement = rendering.move_placement(self.placement, dx, dy, *self._page_size())
        self._redraw()

    def action_resize(self, direction: int) -> None:
        if self.current_layout is None:
            return
        self.placement = rendering.resize_placement(
            self.placement, direction * RESIZE_STEP, *self._page_size()
        )
        self._redraw()

    def action_page(self, delta: int) -> None:
        if self.current_layout is None:
            return
        page = min(len(self.layouts), max(1, self.placement.page + delta))
        if page != self.placement.page:
            self._set(self.placement.evolve(page=page))

    def action_accept(self) -> None:
        if self.current_layout is None:
            return
        self.dismiss(self.placement)

    def action_cancel(self) -> None:
        self.dismiss(None)
