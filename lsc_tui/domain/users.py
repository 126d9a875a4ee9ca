"""Who acts: the one record every start needs before its first frame, apart from the other models (whose
dataclasses cost ~20 ms to create, paid only when a screen or a worker first reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from lsc_tui.domain.records import RecordBase


class UserRole(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"


@dataclass(frozen=True)
class User(RecordBase):
    login: str
    name: str
    email: str = ""
    role: UserRole = UserRole.STAFF
    ar24_email: str = ""
    rights: tuple[str, ...] = ()
    """Rights given beyond the role (domain/rights.py), by name."""
    id: str = ""
    rev: int = 0

    @property
    def is_admin(self) -> bool:
        return self.role is UserRole.ADMIN

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> User:
        d = cls._known(data)
        d["role"] = UserRole(d.get("role", "staff"))
        d["rights"] = tuple(str(r) for r in d.get("rights") or ())
        return cls(**d)
