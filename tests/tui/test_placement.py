"""Placement tool (T6) at 80×24: keys move, nudge, resize, clamp and change page; Enter fills the row; the box
stamped on the PDF lands where its coordinates say."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.generic import ContentStream

from lsc_tui.documents.pdf import StampBox, stamp_boxes
from lsc_tui.domain.models import Placement, Template
from lsc_tui.domain.roles import Role
from lsc_tui.services import rendering
from lsc_tui.store import RecordStore as Store
from lsc_tui.tui.app import create_app
from lsc_tui.tui.screens.placement import PlacementScreen
from lsc_tui.tui.screens.template_form import PlacementList, TemplateFormScreen
from lsc_tui.tui.widgets.page_preview import PagePreview
from tests.fixtures import context, settle

SIZE = (80, 24)
PAGE_W, PAGE_H = 595, 841  # A4 in whole points
PARAGRAPH = (
    "Le preneur s'engage à user paisiblement des locaux loués suivant la destination prévue au bail. " * 4
)
LONG = Template(
    name="Règlement long",
    body="\n\n".join([PARAGRAPH] * 30),
    roles=frozenset({Role.MANAGER}),
    placements=(Placement(Role.MANAGER, page=1, x=100, y=100, width=170, height=74),),
)


async def open_tool(pilot, template: Template, placed: list[Placement | None]) -> PlacementScreen:  # type: ignore[no-untyped-def]
    """The tool as a dialog: what it answers by `dismiss` lands in `placed`."""
    await settle(pilot)
    pilot.app.push_screen(PlacementScreen(template, 0), placed.append)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, PlacementScreen) and screen.layouts
    return screen


def where(screen: PlacementScreen) -> tuple[int, float, float, float, float]:
    p = screen.placement
    return p.page, p.x, p.y, p.width, p.height


async def test_keys_move_nudge_resize_clamp_and_change_page(store: Store) -> None:
    placed: list[Placement | None] = []
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        tool = await open_tool(pilot, LONG, placed)
        pages = len(tool.layouts)
        assert pages >= 3
        sx, sy = tool.step_x, tool.step_y
        assert 5 <= sx <= 15 and 25 <= sy <= 60  # one cell of the 80×24 preview
        preview = tool.query_one(PagePreview)
        assert any("preneur" in line for line in preview.lines)  # the page's text is drawn
        assert preview.box is not None and preview.box.col + preview.box.cols <= preview.grid_size[0]

        await pilot.press("right")
        assert where(tool) == (1, 100 + sx, 100, 170, 74)
        await pilot.press("l", "shift+right", "h", "down", "j", "j", "k")
        assert where(tool) == (1, 100 + sx + 1, 100 + sy + 1, 170, 74)
        await pilot.press("plus")
        assert where(tool)[3:] == (180, 78)  # proportions kept
        await pilot.press("minus")
        assert where(tool)[3:] == (170, 74)

        await pilot.press(*["left"] * 15, *["up"] * 5)
        assert where(tool)[1:3] == (0, 0)  # stops at the top-left corner
        await pilot.press(*["minus"] * 12)
        assert where(tool)[3:] == (Placement.MIN_WIDTH, Placement.MIN_HEIGHT)  # never under 85 × 37
        tool.placement = tool.placement.evolve(x=PAGE_W - 90, y=PAGE_H - 40)  # near the bottom-right corner
        await pilot.press("right", "l", "down", "j")
        assert where(tool)[1:3] == (PAGE_W - 85, PAGE_H - 37)  # nor off the page
        await pilot.press(*["plus"] * 3)
        p = tool.placement
        assert p.x + p.width <= PAGE_W and p.y + p.height <= PAGE_H

        await pilot.press("pagedown")
        assert tool.placement.page == 2
        await pilot.press(*["pagedown"] * (pages + 1))
        assert tool.placement.page == pages
        await pilot.press("pageup")
        assert tool.placement.page == pages - 1
        expected = tool.placement
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PlacementScreen)
    assert placed == [expected]


async def test_enter_fills_the_selected_row_and_escape_changes_nothing(store: Store) -> None:
    record = next(t for t in store.select("templates") if t["name"] == "Bail colocation")
    app = create_app(context(store), poll_seconds=0)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.push_screen(TemplateFormScreen(record["id"]))
        await settle(pilot)
        form = app.screen
        assert isinstance(form, TemplateFormScreen)
        await pilot.press("ctrl+o", "down", "enter")  # row 2: Colocataires on page 3 of the 3-page lease
        await settle(pilot)
        tool = app.screen
        assert isinstance(tool, PlacementScreen) and tool.placement.page == 3
        await pilot.press("right", "escape")
        await settle(pilot)
        assert app.screen is form and form.placements[1].page == 3 and form.placements[1].x == 60
        await pilot.press("up", "enter")  # row 1
        await settle(pilot)
        tool = app.screen
        assert isinstance(tool, PlacementScreen)
        step = tool.step_x
        await pilot.press("right", "l", "l", "enter")
        await settle(pilot)
        assert app.screen is form
        row = form.query_one(PlacementList).rows[0]
        assert row.cells[:4] == ("Colocataires", "1", str(60 + step + 2), "700")
        await pilot.press("ctrl+s")
        await settle(pilot)
    pass
    saved = Template.from_record(store.get("templates", record["id"]))
    assert saved.placements[0] == Placement(Role.CO_TENANTS, 1, 60 + step + 2, 700, 150, 60)
    assert saved.placements[1:] == Template.from_record(record).placements[1:]


async def test_a_box_placed_with_keys_is_stamped_where_its_coordinates_say(store: Store) -> None:
    ctx = context(store)
    placed: list[Placement | None] = []
    app = create_app(ctx, poll_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        await open_tool(pilot, LONG, placed)
        await pilot.press(
            "pagedown", "pagedown", *["down"] * 8, *["right"] * 20, "j", "j", "l", "plus", "enter"
        )
        await settle(pilot)
    (p,) = placed
    assert p is not None and p.page == 3 and p.x > 200 and p.y > 300
    pdf = rendering.sample_render(ctx, LONG).data
    stamped = stamp_boxes(pdf, [StampBox(p.page, p.x, p.y, p.width, p.height, "Gérant")])
    reader = PdfReader(io.BytesIO(stamped))
    page = reader.pages[p.page - 1]
    rects = [ops for ops, op in ContentStream(page.get_contents(), reader).operations if op == b"re"]
    x, y, w, h = (float(v) for v in rects[-1])
    top = float(page.mediabox.top)
    # PDF user space counts from the bottom-left: convert back to the top-left origin of the placement.
    assert abs(x - p.x) <= 1 and abs(top - (y + h) - p.y) <= 1
    assert abs(w - p.width) <= 1 and abs(h - p.height) <= 1
    # and the service used by "Voir les emplacements" draws the same box
    again = PdfReader(io.BytesIO(rendering.stamp_placements(pdf, [p])))
    ops = ContentStream(again.pages[p.page - 1].get_contents(), again).operations
    assert [float(v) for v in [o for o, op in ops if op == b"re"][-1]] == [x, y, w, h]
