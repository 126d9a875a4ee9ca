"""The user's keymap file: `[keymap] "binding.id" = "key"`, applied with Textual's `App.set_keymap`.

Some terminals and multiplexers swallow a key (tmux takes ctrl+b, a desktop suite F1): a member of staff
rebinds it in a file of their own. A file that cannot be applied as a whole is not applied at all: the
defaults stay and one French sentence says what is wrong, so no key silently ends up doing two things.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from textual.keys import Keys, _character_to_key, key_to_character

from lsc_tui.tui.keys import APP, BY_ID, DIALOGS, TOGETHER, Key

MODIFIERS = {"ctrl", "shift", "alt", "meta", "super", "hyper"}
_NAMED = {k.value for k in Keys} | {"space"}


@dataclass(frozen=True)
class Keymap:
    bindings: dict[str, str] = field(default_factory=dict)
    """binding id → Textual key list, as `App.set_keymap` takes it."""
    problem: str = ""
    """Why the file was not applied (empty when it was, or when there is no file)."""


def _normal(key: str) -> str:
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 else key.lower()


def valid_key(key: str) -> bool:
    *mods, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in mods):
        return False
    return len(base) == 1 or base in _NAMED or key_to_character(base) is not None


def _clash(bindings: dict[str, str]) -> str:
    """A key given two meanings among keys active at once; empty when there is none."""
    priority = tuple(k for k in APP if k.priority)
    for keys in (APP, *((*group, *APP) for group in TOGETHER), *((*d, *priority) for d in DIALOGS)):
        owner: dict[str, Key] = {}
        for k in keys:
            for key in bindings.get(k.id, k.key).split(","):
                other = owner.setdefault(key, k) if key else k
                if other.action != k.action:
                    return (
                        f"la touche {key} servirait à la fois à « {other.label} » ({other.id})"
                        f" et à « {k.label} » ({k.id})"
                    )
    return ""


def parse(text: str) -> dict[str, str]:
    """The keymap in `text`; raises ValueError with the French reason."""
    import tomllib  # only when a keymap file exists: not on every start

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"TOML illisible ({exc})") from None
    table = data.get("keymap")
    if not isinstance(table, dict):
        raise ValueError("la table [keymap] manque")
    out: dict[str, str] = {}
    for binding_id, value in table.items():
        if binding_id not in BY_ID or not BY_ID[binding_id].key:
            raise ValueError(f"« {binding_id} » n'est pas un identifiant de raccourci connu")
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f'la touche de « {binding_id} » doit être un texte comme "ctrl+e"')
        keys = [_normal(k) for k in value.split(",")]
        bad = next((k for k in keys if not valid_key(k)), None)
        if bad is not None:
            raise ValueError(f"« {bad} » n'est pas une touche connue (pour « {binding_id} »)")
        out[binding_id] = ",".join(keys)
    clash = _clash(out)
    if clash:
        raise ValueError(clash)
    return out


def load(path: Path | None) -> Keymap:
    """The keymap at `path`; no file is no keymap, and a bad file is the defaults plus a message."""
    if path is None or not path.exists():
        return Keymap()
    try:
        return Keymap(parse(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError) as exc:
        reason = f"lecture impossible ({type(exc).__name__})"
    except ValueError as exc:
        reason = str(exc)
    return Keymap(problem=f"Raccourcis de {path} non appliqués : {reason}. Les touches par défaut restent.")
