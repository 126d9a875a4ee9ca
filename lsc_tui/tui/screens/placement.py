"""Placement tool (T6): the template rendered with sample data, a page at a time, and a box moved by keys.

Every key is one a terminal sends over SSH. Shift+arrows (fine steps) do not reach the app through some
terminals and multiplexers, so h j k l do the same and the side panel says so. Coordinates are whole PDF
points from the top-left of the page, as YouSign v3 takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from lsc_tui.domain.models import Placement, Template
from lsc_tui.services import rendering
from lsc_tui.services.errors import ServiceError
from lsc_tui.tui.screens.base import BaseScreen, PaletteCommand
from lsc_tui.tui.widgets.page_preview import PagePreview

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


class PlacementScreen(BaseScreen):
    TITLE_FR = "Placement des signatures"
    BINDINGS = [
        Binding("left", "move(-1, 0)", "Déplacer", id="placement.left"),
        Binding("right", "move(1, 0)", "Déplacer à droite", show=False, id="placement.right"),
        Binding("up", "move(0, -1)", "Déplacer en haut", show=False, id="placement.up"),
        Binding("down", "move(0, 1)", "Déplacer en bas", show=False, id="placement.down"),
        Binding("shift+left,h", "nudge(-1, 0)", "1 pt à gauche", show=False, id="placement.fine_left"),
        Binding("shift+right,l", "nudge(1, 0)", "1 pt à droite", show=False, id="placement.fine_right"),
        Binding("shift+up,k", "nudge(0, -1)", "1 pt en haut", show=False, id="placement.fine_up"),
        Binding("shift+down,j", "nudge(0, 1)", "1 pt en bas", show=False, id="placement.fine_down"),
        Binding("plus,equals_sign", "resize(1)", "Agrandir", id="placement.grow"),
        Binding("minus", "resize(-1)", "Réduire", id="placement.shrink"),
        Binding("pageup", "page(-1)", "Page préc.", id="placement.page_up"),
        Binding("pagedown", "page(1)", "Page suiv.", id="placement.page_down"),
        Binding("enter", "accept", "Valider", id="placement.accept"),
        Binding("escape", "cancel", "Annuler", id="placement.cancel"),
    ]

    def __init__(self, template: Template, index: int, on_place: Callable[[Placement], None]) -> None:
        """`on_place` receives the placement when the user validates (never on Escape)."""
        super().__init__()
        self.template = template
        self.index = index
        self.on_place = on_place
        self.placement = template.placements[index]
        self.layouts: list[rendering.PageLayout] = []
        self.step_x = 1
        self.step_y = 1

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="placement-body"):
            yield PagePreview(id="preview")
            yield Static("", id="placement-side")
        yield Static("Mise en page de l'aperçu…", id="placement-status", classes="status-line")

    def on_mount(self) -> None:
        self.query_one("#preview", PagePreview).border_title = self.placement.role.label
        self._load_pages()

    # ---- rendering -------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="placement-render", exit_on_error=False)
    def _load_pages(self) -> None:
        """Render off the UI thread (PDF layout of every page) and hand the pages back."""
        try:
            pdf = rendering.sample_render(self.lsc.ctx, self.template)
            layouts = [rendering.page_text_layout(pdf.data, n) for n in range(1, len(pdf.pages) + 1)]
        except ServiceError as exc:
            self.app.call_from_thread(self._load_failed, exc.message)
            return
        self.app.call_from_thread(self._pages_loaded, layouts)

    def _load_failed(self, message: str) -> None:
        self.notify_error(f"Aperçu impossible : {message}")
        self.query_one("#placement-status", Static).update(f"Aperçu impossible : {message}")

    def _pages_loaded(self, layouts: list[rendering.PageLayout]) -> None:
        self.layouts = layouts
        wanted = self.placement.page
        page = min(max(1, wanted), len(layouts))
        if page != wanted:
            self.notify(
                f"L'aperçu n'a que {len(layouts)} page(s) : le cadre est montré page {page}.",
                severity="warning",
                markup=False,
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
        self.on_place(self.placement)
        self.dismiss()

    def action_cancel(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterable[PaletteCommand]:
        return [
            PaletteCommand("Placement : valider", "Entrée — remplir la ligne du tableau", self.action_accept),
            PaletteCommand("Placement : page suivante", "PgSuiv", lambda: self.action_page(1)),
            PaletteCommand("Placement : page précédente", "PgPréc", lambda: self.action_page(-1)),
            PaletteCommand("Placement : agrandir", "+", lambda: self.action_resize(1)),
            PaletteCommand("Placement : réduire", "-", lambda: self.action_resize(-1)),
            PaletteCommand("Placement : annuler", "Échap", self.action_cancel),
        ]
