"""Where data lives, where secrets are kept, and where the app's own resources are.

Secrets (API keys, AR24 tokens and private keys, webhook secrets) never go into the shared store: they live in
one file in the data folder, readable by the firm's group only (0640, never world-readable, never
group-writable), and are masked wherever they are shown, `repr` included.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from lsc_tui.domain.errors import ExplainedError

APP_NAME = "lsc-tui"
SECRETS_FILE = "secrets.json"
SECRETS_MODE = 0o640
STORE_ENV = "LSC_TUI_STORE"


class ConfigError(ExplainedError):
    """A configuration file is unreadable or unsafe: the message names it and says what to do."""


def default_data_dir() -> Path:
    return Path(os.environ.get("LSC_TUI_DATA") or platformdirs.user_data_path(APP_NAME))


def default_demo_dir() -> Path:
    return Path(os.environ.get("LSC_TUI_DEMO_DATA") or platformdirs.user_data_path(APP_NAME) / "demo")


def default_store() -> str | None:
    """A `postgresql://` URL from the environment, for firms whose store is a database server."""
    return os.environ.get(STORE_ENV) or None


def keymap_path() -> Path:
    return Path(os.environ.get("LSC_TUI_KEYMAP") or platformdirs.user_config_path(APP_NAME) / "keymap.toml")


def mask(secret: str | None) -> str:
    """What a screen shows of a secret: enough to recognise it, never enough to use it."""
    if not secret:
        return ""
    if len(secret) <= 6:
        return "•" * len(secret)
    return f"{secret[:2]}{'•' * 8}{secret[-2:]}"


@dataclass(repr=False)
class Secrets:
    """Provider credentials read from (and written to) `<data>/secrets.json`, mode 0640."""

    path: Path
    _cache: dict[str, Any] | None = field(default=None, repr=False)

    def __repr__(self) -> str:  # says where the secrets are, never what they are (even if values get cached)
        return f"Secrets({str(self.path)!r}, values masked)"

    def read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ConfigError(
                f"Le fichier des secrets {self.path} ne peut pas être lu ({exc.strerror}) : il doit appartenir au"
                " groupe du cabinet (mode 0640)."
            ) from exc
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"Le fichier des secrets {self.path} est illisible (JSON invalide ou tronqué) : restaurez-le, ou"
                " supprimez-le et ressaisissez les clés dans les réglages."
            ) from exc
        if not isinstance(data, dict):
            raise ConfigError(f"Le fichier des secrets {self.path} est illisible (structure inattendue).")
        self._cache = data
        return data

    def write(self, data: dict[str, Any]) -> None:
        """Replace the file atomically, group-readable only, whatever the umask."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, SECRETS_MODE)
        try:
            os.fchmod(fd, SECRETS_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(temp, self.path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        self._cache = data

    def get(self, section: str, key: str, default: str = "") -> str:
        return str(self.read().get(section, {}).get(key, default))

    def effective(self) -> dict[str, Any]:
        """The file's values with `LSC_TUI_<SECTION>_<KEY>` environment variables over them (a key kept in a
        vault and handed to the process): what the providers are built from. Never written back."""
        data = {section: dict(values) for section, values in self.read().items() if isinstance(values, dict)}
        for section, key in ENV_SECRETS:
            value = os.environ.get(env_name(section, key))
            if value:
                data.setdefault(section, {})[key] = value
        return data


ENV_SECRETS = tuple(
    (section, key) for section in ("yousign", "esign") for key in ("api_key", "base_url", "webhook_secret")
)


def env_name(section: str, key: str) -> str:
    return f"LSC_TUI_{section.upper()}_{key.upper()}"


def secrets_for(data_dir: Path) -> Secrets:
    return Secrets(data_dir / SECRETS_FILE)


def resources_dir(name: str) -> Path:
    """`styles` or `demo_data`: next to the package in a checkout, inside it (as `_name`) in a wheel."""
    package = Path(__file__).resolve().parent
    installed = package / f"_{name}"
    if installed.is_dir():
        return installed
    return package.parent / name
