"""A list narrowed by typed words gives the same rows whichever plan serves it (store/postgres/word_search.py):
the probe of the first rows when it fills the page, else the walk or the trigram index, imposed by what the
probe found."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from lsc_tui.domain.search import fold
from lsc_tui.store.postgres import PostgresStore, word_search
from lsc_tui.store.postgres.listing import HEAD, PAGE, PgListing
from tests.postgres.letters_store import letters_store

N = PAGE + 40


def letter(i: int) -> dict[str, Any]:
    rare = " Quesnoy" if i % 97 == 5 else ""
    return {
        "recipient_name": f"Destinataire {i}{rare}",
        "subject": "Convocation" + (" urgente" if i % 2 else ""),
        "deposit_date": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}T{i % 24:02d}",
    }


@pytest.fixture
def store(pg_url: str) -> Iterator[PostgresStore]:
    yield from letters_store(pg_url, N, letter)


def expected(store: PostgresStore, text: str) -> list[str]:
    words = fold(text).split()
    whole = store.listing("letters").window(0, N)
    return [r["id"] for r in whole if all(w in fold(f"{r['recipient_name']} {r['subject']}") for w in words)]


@pytest.fixture
def plans(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    chosen: list[Any] = []
    plan_for = word_search.plan_for
    monkeypatch.setattr(word_search, "plan_for", lambda *a: chosen.append(plan_for(*a)) or chosen[-1])
    return chosen


def ask_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe asked of the server, as a keystroke does before its list's sample is read."""
    monkeypatch.setattr(PgListing, "ready_sample", lambda self, wait=False: None)


@pytest.fixture
def server_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    ask_the_server(monkeypatch)


def sampled_root(store: PostgresStore, text: str, plans: list[Any]) -> tuple[PgListing, Any]:
    """The letters' root list once a first keystroke has had it read its sample (that keystroke's plan is not
    the one under test)."""
    root = store.listing("letters")
    root.narrow(text[:1]).head(HEAD)
    sample = root.ready_sample(wait=True)
    plans.clear()
    return root, sample


PLANS = [
    ("convocation", PAGE + 20, None),  # every row matches: the probe fills the page, nothing else runs
    ("convocation", 8, word_search.WALK),  # every row of a short probe: walking is cheaper
    ("quesnoy", 8, word_search.GATHER),  # a rare word: the trigram index
    ("urgente quesnoy", 8, word_search.GATHER),
    ("quesnoy ur", 8, word_search.GATHER),  # « ur » cannot use the index: « quesnoy » is gathered
]


def test_the_plan_is_the_one_that_reads_fewer_rows() -> None:
    probe, page, plan_for = word_search.PROBE_ROWS, PAGE, word_search.plan_for
    walk, gather = word_search.WALK, word_search.GATHER
    # walk = 0.25 × page / share of every word; gather = share of the gathered word × rows in the list
    assert plan_for(probe // 2, page, 1_000_000, probe // 2) is walk  # 50 %: 100 vs 500,000
    assert plan_for(probe // 80, page, 1_000_000, probe // 80) is walk  # 1.25 %: 4,000 vs 12,500
    assert plan_for(probe // 400, page, 1_000_000, probe // 400) is gather  # 0.25 %: 20,000 vs 2,500
    assert plan_for(0, page, 1_000_000, 0) is gather
    assert plan_for(probe // 2, page, 150, probe // 2) is gather  # a short list: 100 vs 75
    assert plan_for(3, page, None, 3) is None  # the list's size unknown yet: PostgreSQL chooses
    assert plan_for(3, page, 1_000_000, None) is walk  # no word long enough for the trigram index
    # two words, 0.1 % of rows hold both: gathering the rarer one reads its rows, not those of both
    assert plan_for(probe // 1000, page, 1_000_000, probe // 80) is gather  # 50,000 vs 12,500
    assert plan_for(probe // 1000, page, 1_000_000, probe // 2) is walk  # 50,000 vs 500,000


def never_asked(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """The probe and the shares refused to the server; the returned call gives them back."""
    probe, shares = word_search.WordPage.probe, word_search.WordPage.shares

    def asked(*_a: Any) -> Any:
        raise AssertionError("the probe was asked of the server")

    monkeypatch.setattr(word_search.WordPage, "probe", asked)
    monkeypatch.setattr(word_search.WordPage, "shares", asked)

    def given_back() -> None:
        monkeypatch.setattr(word_search.WordPage, "probe", probe)
        monkeypatch.setattr(word_search.WordPage, "shares", shares)

    return given_back


@pytest.mark.parametrize("sampled", [False, True], ids=["probe asked", "sampled"])
@pytest.mark.parametrize(("text", "probe_rows", "plan"), PLANS)
def test_the_rows_are_the_same_whatever_plan_serves_them(
    store: PostgresStore,
    plans: list[Any],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    probe_rows: int,
    plan: Any,
    sampled: bool,
) -> None:
    """The probe asked of the server (before the list's sample is read) or answered by the sample: the same
    rows, the same plan."""
    monkeypatch.setattr(word_search, "PROBE_ROWS", probe_rows)  # before the list reads its sample
    root, sample = sampled_root(store, text, plans)
    assert root.wait_len() == N  # the list's size is known: the probe can choose
    assert sample is not None and len(sample.rows) == probe_rows and not sample.complete
    want = expected(store, text)
    if not sampled:
        ask_the_server(monkeypatch)
    given_back = never_asked(monkeypatch) if sampled else lambda: None
    narrowed = root.narrow(text)
    assert [r["id"] for r in narrowed.head(HEAD)] == want[:HEAD]
    assert plans[:1] == ([] if plan is None else [plan])
    given_back()  # the pages after the first start after a key: the sample is not theirs
    assert [r["id"] for r in narrowed.window(0, len(want))] == want


@pytest.mark.parametrize("text", ["quesnoy", "urgente quesnoy", "quesnoy ur", "ur", "introuvable"])
def test_a_list_shorter_than_the_probe_is_narrowed_from_its_sample_alone(
    store: PostgresStore, plans: list[Any], monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    root, sample = sampled_root(store, text, plans)
    assert sample is not None and sample.complete and len(sample.rows) == N
    root.wait_len()
    never_asked(monkeypatch)

    def refused(*_a: Any) -> Any:
        raise AssertionError("the whole list was asked of the server")

    monkeypatch.setattr(word_search.WordPage, "full", refused)
    want = expected(store, text)
    assert [r["id"] for r in root.narrow(text).head(HEAD)] == want[:HEAD]
    assert plans == []


@pytest.mark.usefixtures("server_probe")
@pytest.mark.parametrize(
    ("text", "indexed"), [("urgente quesnoy", 1), ("quesnoy urgente", 0), ("quesnoy ur", 0), ("ur ge", None)]
)
def test_only_the_rarest_word_long_enough_is_gathered_through_the_trigram_index(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch, text: str, indexed: int | None
) -> None:
    root = store.listing("letters")
    root.wait_len()
    want = expected(store, text)
    monkeypatch.setattr(word_search, "PROBE_ROWS", 8)
    asked: list[int | None] = []
    full = word_search.WordPage.full

    def noted(self: word_search.WordPage, index: int | None = None) -> Any:
        asked.append(index)
        return full(self, index)

    monkeypatch.setattr(word_search.WordPage, "full", noted)
    assert [r["id"] for r in root.narrow(text).head(HEAD)] == want[:HEAD]
    assert asked == [indexed]


def test_a_narrowed_list_reads_a_screenful_first_then_the_rest_of_its_page_by_keyset(
    store: PostgresStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = store.listing("letters")
    root.wait_len()
    want = expected(store, "convocation")
    asked: list[tuple[bool, int]] = []  # (from the top?, rows asked for) of every query
    fetch = PgListing._fetch

    def noted(self: PgListing, key: Any, *, after: bool, offset: int, limit: int) -> Any:
        asked.append((key is None, limit))
        return fetch(self, key, after=after, offset=offset, limit=limit)

    monkeypatch.setattr(PgListing, "_fetch", noted)
    narrowed = root.narrow("convocation")
    assert len(want) > PAGE
    assert [r["id"] for r in narrowed.head(HEAD)] == want[:HEAD]
    assert asked == [(True, HEAD)]  # one query, for a screenful only
    assert [r["id"] for r in narrowed.window(0, len(want))] == want
    assert asked[:2] == [(True, HEAD), (False, PAGE - HEAD)]  # page 0's rest, after the head's last key


def test_a_space_typed_after_a_word_asks_the_server_nothing(store: PostgresStore) -> None:
    from lsc_tui.services.listing import Row, RowView

    view = RowView(store.listing("letters"), lambda r: Row(r["id"], (r["recipient_name"],)))
    typed = view.filter("quesnoy")
    assert typed.count_now() > 0  # its first rows read
    assert typed.filter("quesnoy ") is typed and typed.filter(" Quesnoy") is typed
    assert typed.count_now() > 0
    assert typed.listing.fetches == [("forward", 0)]  # type: ignore[attr-defined]
    assert typed.filter("quesnoy urgente") is not typed


def test_a_list_reads_its_sample_once_someone_types(store: PostgresStore) -> None:
    """A root list is made again at every change of its table: only those someone filters read a sample."""
    root = store.listing("letters")
    root.wait_len()
    assert root.ready_sample(wait=True) is None
    root.narrow("q")
    first = root.ready_sample(wait=True)
    assert first is not None and first.complete
    root.narrow("qu")
    assert root.ready_sample(wait=True) is first  # read once
