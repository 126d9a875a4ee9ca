"""What the embedded store keeps in memory of a big table's records: the fields its list shows.

100,000 events held whole take 2.5 KB each (their parties, bodies, attachments): 250 MB for a list that shows
eight fields. A table whose spec names its `listed` fields keeps for each record a `Projected` row instead:
those fields, the id, the revision, the indexed and order fields (computed ones already computed) and the
folded search text, with repeated short values (a residence, a template, a tenant's name) stored once. Whole
records are read from their shard (cache.py keeps the few last read): a detail, a write, a `select`.

A row is made once per shard file, like a parsed shard: after a write only the written shard's rows are made
again, so the 100,000 search texts are not folded again at every change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, ClassVar

from lsc_tui.domain.search import fold
from lsc_tui.store.protocol import Where
from lsc_tui.store.tables import TableSpec

SHARED_MAX = 200_000
"""Distinct short values remembered to be stored once; past it the memory is forgotten (rows keep theirs)."""
SHORT = 48


class _Absent:
    """A field the record does not have (not the same as a field holding null)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


class Projected(tuple):  # type: ignore[type-arg]
    """A record reduced to some of its fields, read like one: `row["title"]`, `row.get("chrono")`, `dict(row)`.

    A tuple: a third of the memory of a dict with the same fields. Read-only, like every record the store's
    reads hand out. The last item is the folded search text.
    """

    __slots__ = ()
    FIELDS: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            value = tuple.__getitem__(self, self.FIELDS[key])
            if value is ABSENT:
                raise KeyError(key)
            return value
        return tuple.__getitem__(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        index = self.FIELDS.get(key)
        if index is None:
            return default
        value = tuple.__getitem__(self, index)
        return default if value is ABSENT else value

    def keys(self) -> list[str]:
        return [f for f, i in self.FIELDS.items() if tuple.__getitem__(self, i) is not ABSENT]

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((f, self[f]) for f in self.keys())

    @property
    def key(self) -> str:
        """The record's id (what lists call a row's key)."""
        return tuple.__getitem__(self, 0)  # type: ignore[no-any-return]

    @property
    def search_text(self) -> str:
        return tuple.__getitem__(self, -1)  # type: ignore[no-any-return]

    def __repr__(self) -> str:
        return f"Projected({dict(self.items())!r})"


class Projector:
    """Makes the `Projected` rows of one table's records."""

    def __init__(self, spec: TableSpec) -> None:
        fields = ["id", "_rev", *spec.indexed, *(f for f, _desc in spec.order), *spec.listed]
        self.fields = tuple(dict.fromkeys(fields))
        self.kept = frozenset(self.fields)
        self.row_type: type[Projected] = type(
            f"Projected_{spec.name}",
            (Projected,),
            {"__slots__": (), "FIELDS": {f: i for i, f in enumerate(self.fields)}},
        )
        self._computed = [spec.computed.get(f) for f in self.fields]
        self._search = spec.search
        self._shared: dict[Any, Any] = {}
        self._project = self._compile()

    def covers(self, where: Where | None, *fields: str) -> bool:
        """Whether a filter (and fields counted) can be answered from the rows alone."""
        return all(f in self.kept for f in (*(where or {}), *fields))

    def rows(self, records: Iterable[Mapping[str, Any]]) -> list[Projected]:
        if len(self._shared) > SHARED_MAX:
            self._shared.clear()
        project, search = self._project, self._search
        if search is None:
            return [project(record, "") for record in records]
        return [project(record, fold(search(record))) for record in records]

    def _compile(self) -> Callable[[Mapping[str, Any], str], Projected]:
        """One function reading the kept fields of a record, written out field by field (as `dataclasses`
        writes `__init__`): a loop over the fields cost three times more, 100,000 records at each cold start."""
        lines = ["def project(record, text):", "    get = record.get"]
        for i, (name, compute) in enumerate(zip(self.fields, self._computed, strict=True)):
            lines.append(
                f"    v{i} = c{i}(record)" if compute is not None else f"    v{i} = get({name!r}, ABSENT)"
            )
            if name != "id":
                lines += [
                    f"    if type(v{i}) is str:",
                    f"        if len(v{i}) <= SHORT: v{i} = share(v{i}, v{i})",
                    f"    elif type(v{i}) is list: v{i} = share_all(v{i}, share)",
                ]
        lines.append(f"    return make(({''.join(f'v{i}, ' for i in range(len(self.fields)))}text))")
        scope: dict[str, Any] = {
            "ABSENT": ABSENT,
            "SHORT": SHORT,
            "share": self._shared.setdefault,
            "share_all": share_all,
            "make": self.row_type,
            **{f"c{i}": compute for i, compute in enumerate(self._computed)},
        }
        exec("\n".join(lines), scope)  # the code above, made from the spec's field names (repr)
        return scope["project"]  # type: ignore[no-any-return]


def share_all(values: list[Any], share: Any) -> Any:
    """A list of short strings as a tuple stored once (a tenant's co-signers); anything else as it is."""
    if not all(type(v) is str and len(v) <= SHORT for v in values):
        return values
    items = tuple(share(v, v) for v in values)
    return share(items, items)
