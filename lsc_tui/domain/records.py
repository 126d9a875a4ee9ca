"""Records ↔ dataclasses without `dataclasses.asdict` and `fields()` per call: a sync, a batch of letters or a
list at 100,000 records converts thousands of them, and both re-walk the class each time."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, Self, TypeVar

T = TypeVar("T")

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_FIELD_SETS: dict[type, frozenset[str]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    """The dataclass's field names in order: `fields()` walks the class at each call, and a sync reads and
    writes thousands of records."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        _FIELD_SETS[cls] = frozenset(names)
    return names


def plain(value: Any) -> Any:
    """`dataclasses.asdict` for our records (nested records, tuples, lists, dicts), at a fifth of its cost:
    asdict deep-copies every leaf and re-reads each class's fields; ours are immutable leaves."""
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return {name: plain(getattr(value, name)) for name in field_names(type(value))}
    if isinstance(value, (tuple, list)):
        return type(value)(plain(v) for v in value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def field_set(cls: type) -> frozenset[str]:
    """The same names as a set, for filtering a stored record's keys."""
    field_names(cls)
    return _FIELD_SETS[cls]


def from_record(cls: type[T], record: dict[str, Any]) -> T:
    """A flat record dataclass from its stored record: keys it does not know are ignored (an older app reads
    newer data) and the store's `_rev` becomes `rev`."""
    names = field_set(cls)
    fields = {k: v for k, v in record.items() if k in names}
    if "rev" in names:
        fields["rev"] = record.get("_rev", 0)
    return cls(**fields)


def stored(value: Any) -> dict[str, Any]:
    """What the store keeps of a record dataclass: its fields, without the id and revision the store owns."""
    data: dict[str, Any] = plain(value)
    data.pop("rev", None)
    data.pop("id", None)
    return data


class RecordBase:
    """Shared conversion of the trade's records: unknown keys in a stored record are ignored so an older app can
    read newer data."""

    @classmethod
    def _known(cls, data: dict[str, Any]) -> dict[str, Any]:
        names = field_set(cls)
        out = {k: v for k, v in data.items() if k in names}
        if "_rev" in data and "rev" in names:
            out["rev"] = data["_rev"]
        return out

    def to_record(self) -> dict[str, Any]:
        data: dict[str, Any] = plain(self)
        data.pop("rev", None)
        return data

    def evolve(self, **changes: Any) -> Self:
        return replace(self, **changes)  # type: ignore[type-var]
