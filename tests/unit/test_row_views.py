"""Lazy rows over a listing: built only when shown; filters narrow; a status view keeps its status."""

from __future__ import annotations

from lsc_tui.domain.listing import MemoryListing
from lsc_tui.domain.search import fold
from lsc_tui.services.listing import Row, RowView


def view(n: int, built: list[int]) -> RowView:
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
        return Row(r["id"], (r["title"],))

    return RowView(MemoryListing(records, lambda r: r["title"]), make)


def test_rows_are_built_only_when_read() -> None:
    built: list[int] = []
    rows = view(100_000, built)
    assert len(rows) == 100_000 and built == []
    assert [r.key for r in rows[10:13]] == ["k10", "k11", "k12"]
    assert built == [10, 11, 12]
    assert rows[11].key == "k11" and built == [10, 11, 12]  # built once, kept


def test_filter_narrows_and_widens() -> None:
    rows = view(1000, [])
    bail = rows.filter("bail")
    assert len(bail) == 500
    narrower = bail.filter("bail lot 99")
    keys = [r.key for r in narrower]
    # lot 99, 199 … 999 and 991, 993, 995, 997 ("bail lot 99" is a prefix of "bail lot 991")
    assert len(keys) == 14 and {"k99", "k999", "k991"} <= set(keys) and "k98" not in keys
    wider = narrower.filter("convoc")  # not an extension: scans from the root again
    assert len(wider) == 500
    assert len(wider.filter("")) == 1000
    assert narrower.index_of("k999") == keys.index("k999") and narrower.index_of("k98") is None


def test_status_view_keeps_its_status_through_filters() -> None:
    listing = MemoryListing(
        [{"id": f"k{i}", "title": f"Bail {i}", "status": "a" if i % 3 else "b"} for i in range(300)],
        lambda r: r["title"],
    )
    status_view = RowView(listing.subset(lambda r: r["status"] == "b"), lambda r: Row(r["id"], (r["title"],)))
    assert len(status_view) == 100
    assert len(status_view.filter("bail")) == 100
    assert len(status_view.filter("bail").filter("")) == 100
    assert all(int(r.key[1:]) % 3 == 0 for r in status_view.filter("bail 1"))


def test_accents_and_case_are_ignored() -> None:
    listing = MemoryListing([{"id": "1", "t": "Résidence Les Tilleuls — Bail colocation"}], lambda r: r["t"])
    assert len(listing.narrow("tilleul COLOC")) == 1 and len(listing.narrow("residence")) == 1


def test_narrowing_finds_what_a_full_scan_finds() -> None:
    """Per-word passes, narrowing from the previous query, and positions found by binary search give what
    checking every record against every word gives."""
    import random

    rng = random.Random(4)
    words = ["bail", "lot", "mandat", "convocation", "12", "résidence", "élodie", "n°"]
    records = [
        {"id": f"r{i}", "t": " ".join(rng.choice(words) for _ in range(4)) + f" {i}"} for i in range(3000)
    ]
    listing = MemoryListing(records, lambda r: r["t"])
    status = listing.subset(lambda r: int(r["id"][1:]) % 2 == 0)
    for root in (listing, status):
        view = root
        for typed in ("b", "ba", "bail", "bail l", "bail lot", "bail lot 1", "n° ELODIE", "residence 12 lot"):
            view = view.narrow(typed)
            wanted = [
                r["id"]
                for r in root.window(0, len(root))
                if all(w in fold(r["t"]) for w in fold(typed).split())
            ]
            assert view.ids() == wanted
            for n, rid in enumerate(wanted[:50]):
                assert view.position(rid) == n
            assert view.position("r-unknown") is None
            missing = next((r["id"] for r in records if r["id"] not in set(wanted)), None)
            assert missing is None or view.position(missing) is None


def test_folding_keeps_letters_without_an_ascii_base() -> None:
    """The quick path (decompose, drop accents) gives up on "n°", "ø" or Cyrillic; the fallback must fold the
    accents around them and keep them (PostgreSQL stores this text: both backends must fold alike)."""
    assert fold("N° 12 Résidence Ørsted — Жук") == "n° 12 residence ørsted   жук"
    assert fold("Cœur & Fils, Straße") == "coeur & fils, strasse"
    assert fold("ÉLODIE l’Hôte") == "elodie l'hote"


def test_a_record_is_found_in_every_narrowed_or_status_view() -> None:
    """The cursor stays on its record through each keystroke: positions agree with the view's own order."""
    rows = view(1000, [])
    status_b = RowView(rows.listing.subset(lambda r: r["status"] == "b"), rows.make)  # type: ignore[attr-defined]
    for shown in (rows, rows.filter("bail"), rows.filter("bail").filter("bail lot 9"), status_b,
                  status_b.filter("convocation")):  # fmt: skip
        keys = shown.keys()
        assert all(shown.index_of(k) == n for n, k in enumerate(keys))
        assert shown.index_of("k2") == (keys.index("k2") if "k2" in keys else None)
    assert rows.filter("bail").index_of("k2") is None and rows.index_of("nope") is None
