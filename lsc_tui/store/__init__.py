"""The storage floor: records behind repositories, in an embedded folder or a PostgreSQL database.

Services see repositories (`store/repositories/`) and the two protocols of `protocol.py`, never files,
shards, SQL or TinyDB, so a firm can move from one backend to the other with `lsc-tui store migrate`.
"""

from lsc_tui.store.embedded import EmbeddedStore
from lsc_tui.store.errors import Conflict, CorruptFileError, NotFoundError, StoreError
from lsc_tui.store.opening import open_store
from lsc_tui.store.protocol import ANY_REV, Listing, RecordStore, Transaction

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
