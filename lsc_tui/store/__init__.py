"""The storage floor: records behind repositories, in an embedded folder or a PostgreSQL database.

Services see repositories (`store/repositories/`) and the two protocols of `protocol.py`, never files,
shards, SQL or TinyDB, so a firm can move from one backend to the other with `lsc-tui store migrate`.
"""

from typing import TYPE_CHECKING, Any

from lsc_tui.store.errors import Conflict, CorruptFileError, NotFoundError, StoreError
from lsc_tui.store.opening import open_store
from lsc_tui.store.protocol import ANY_REV, Listing, RecordStore, Transaction

if TYPE_CHECKING:
    from lsc_tui.store.embedded import EmbeddedStore


def __getattr__(name: str) -> Any:
    """`EmbeddedStore` is imported when asked for: a session on PostgreSQL never loads the embedded backend
    (~10 ms of its start)."""
    if name == "EmbeddedStore":
        from lsc_tui.store.embedded import EmbeddedStore

        return EmbeddedStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ANY_REV",
    "Conflict",
    "CorruptFileError",
    "EmbeddedStore",
    "Listing",
    "NotFoundError",
    "RecordStore",
    "StoreError",
    "Transaction",
    "open_store",
]
