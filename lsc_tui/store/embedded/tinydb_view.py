"""Open one shard file with TinyDB, for inspection or a one-off repair script run by a person.

`TinyDB(path, storage=OrjsonStorage)` reads a shard as TinyDB does (tables `_default` and `_meta`). Writing
through TinyDB is refused: shard files are immutable once the catalog names them (see `catalog.py`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from lsc_tui.store.embedded.files import loads, read_bytes
from lsc_tui.store.errors import CorruptFileError, StoreError


class OrjsonStorage(Storage):
    def __init__(self, path: str | os.PathLike[str], **_: Any) -> None:
        super().__init__()
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        result = read_bytes(self.path)
        if result is None:
            return None
        data = loads(result[0], self.path)
        if not isinstance(data, dict):
            raise CorruptFileError(f"Le fichier de données {self.path} est invalide.", path=self.path)
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        raise StoreError("Les fichiers de données ne se modifient pas en place : passez par lsc-tui.")

    def close(self) -> None:
        pass
