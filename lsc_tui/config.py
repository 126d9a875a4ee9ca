"""Where data lives and where secrets are kept.

Secrets (API keys, AR24 passwords and private keys) never go into the shared store: they live in one file
created 0600 in the data dir, and are masked wherever they are shown.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "lsc-tui"
SECRETS_FILE = "secrets.json"


def default_data_dir() -> Path:
    return Path(os.environ.get("LSC_TUI_DATA") or platformdirs.user_data_path(APP_NAME))


def default_demo_dir() -> Path:
    return Path(os.environ.get("LSC_TUI_DEMO_DATA") or platformdirs.user_data_path(APP_NAME) / "demo")


def mask(secret: str | None) -> str:
    """What a screen shows of a secret: enough to recognise it, never enough to use it."""
    if not secret:
        return ""
    if len(secret) <= 6:
        return "•" * len(secret)
    return f"{secret[:2]}{'•' * 8}{secret[-2:]}"


@dataclass(repr=False)
class Secrets:
    """Provider credentials read from (and written to) `<data>/secrets.json`, mode 0600."""

    path: Path

    def __repr__(self) -> str:  # says where the secrets are, never what they are (even if values get cached)
        return f"Secrets({str(self.path)!r}, values masked)"

    def read(self) -> dict[str, Any]:
        if not self.path.exists():
            return {}
        return json.loads(self.path.read_text(encoding="utf-8"))

    def write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
        os.chmod(self.path, 0o600)

    def get(self, section: str, key: str, default: str = "") -> str:
        return str(self.read().get(section, {}).get(key, default))


def secrets_for(data_dir: Path) -> Secrets:
    return Secrets(data_dir / SECRETS_FILE)


def resources_dir(name: str) -> Path:
    """`styles` or `demo_data`: next to the package in a checkout, inside it (as `_name`) in a wheel."""
    package = Path(__file__).resolve().parent
    installed = package / f"_{name}"
    if installed.is_dir():
        return installed
    return package.parent / name
