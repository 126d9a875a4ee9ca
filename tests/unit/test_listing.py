"""Lazy rows: built only when shown; filters narrow; a status view keeps its status when the filter clears."""

from __future__ import annotations

from lsc_tui.services.listing import Row, RowSource, RowView


def source(n: int, built: list[int]) -> RowSource:
    records = [
        {
            "id": f"k{i}",
            "title": f"Bail lot {i}" if i % 2 else f"Convocation AG lot {i}",
            "status": "a" if i % 3 else "b",
        }
        for i in range(n)
    ]

    def make(r: dict) -> Row:
        built.append(int(r["id"][1:]))
        return Row(r["id"], (r["title"],), "")

    return RowSource(records, make, lambda r: r["title"])


def test_rows_are_built_only_when_read() -> None:
    built: list[int] = []
    view = source(100_000, built).view()
    assert len(view) == 100_000 and built == []
    assert [r.key for r in view[10:13]] == ["k10", "k11", "k12"]
    assert built == [10, 11, 12]


def test_filter_narrows_and_widens() -> None:
    view = source(1000, []).view()
    bail = view.filter("bail")
    assert len(bail) == 500
    narrower = bail.filter("bail lot 99")
    keys = [r.key for r in narrower]
    # lot 99, 199 … 999 and 991, 993, 995, 997 ("bail lot 99" is a prefix of "bail lot 991")
    assert len(keys) == 14 and {"k99", "k999", "k991"} <= set(keys) and "k98" not in keys
    wider = narrower.filter("convoc")  # not an extension: scans from the root again
    assert len(wider) == 500
    assert len(wider.filter("")) == 1000


def test_status_view_keeps_its_status_through_filters() -> None:
    src = source(300, [])
    status_view = RowView(src, [i for i, r in enumerate(src.records) if r["status"] == "b"])
    assert len(status_view) == 100
    assert all(src.records[int(r.key[1:])]["status"] == "b" for r in status_view.filter("bail"))
    assert len(status_view.filter("bail").filter("")) == 100


def test_index_of_finds_a_key_in_a_filtered_view() -> None:
    view = source(50, []).view().filter("bail")
    assert view.index_of("k7") == 3
    assert view.index_of("k8") is None
