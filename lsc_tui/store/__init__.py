"""The storage floor: JSON records in sharded TinyDB files, safe for many processes on one data directory.

Services see records (plain dicts with "id" and "_rev"), never files, shards or TinyDB queries, so a server
database can take this one's place when a firm outgrows one machine.
"""

from lsc_tui.store.db import Store, Tx
from lsc_tui.store.errors import Conflict, CorruptFileError, NotFoundError, StoreError
from lsc_tui.store.shards import ReadOnlyRecord
from lsc_tui.store.storage import OrjsonStorage

__all__ = [
    "Conflict",
    "CorruptFileError",
    "NotFoundError",
    "OrjsonStorage",
    "ReadOnlyRecord",
    "Store",
    "StoreError",
    "Tx",
]
