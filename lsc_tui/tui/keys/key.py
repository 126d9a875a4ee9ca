"""One binding of the registry, and how screens turn a table of them into Textual bindings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """One binding. `key` is Textual's key list ("f1", "n,escape"); an empty key is a palette-only command."""

    id: str
    key: str
    action: str
    label: str
    """What the key does, as the footer and F1 say it (« Filtrer »)."""
    group: str = ""
    """Palette group and F1 section (« Aller »); empty: the screen's own title (« Événements »)."""
    show: bool = True
    """In the footer (global keys live in the F-key bar instead)."""
    priority: bool = False
    short: str = ""
    """Label in the F-key bar when the terminal is narrow (80 columns)."""
    command: str = ""
    """Palette title when « groupe : label » does not read well."""
    palette: bool = True
    demo: bool = False
    """Only in a demo folder (the palette leaves it out elsewhere)."""
    help: bool = True
    """Listed by F1 (movement keys of a list are, internal no-ops are not)."""

    def binding(self) -> Binding:
        return Binding(self.key, self.action, self.label, show=self.show, priority=self.priority, id=self.id)

    def bound(self, keymap: dict[str, str]) -> Binding:
        """The binding with the user's key when the keymap rebinds it (for display: first key only)."""
        key = keymap.get(self.id, self.key).split(",")[0]
        return Binding(key, self.action, self.label, show=self.show, priority=self.priority, id=self.id)

    def title(self, screen_title: str) -> str:
        """The palette entry: « Événements : filtrer »."""
        if self.command:
            return self.command
        group = self.group or screen_title
        return f"{group} : {self.label[:1].lower()}{self.label[1:]}"


def nav(key: str, mode: str, label: str, short: str = "") -> Key:
    return Key(
        f"app.{mode}",
        key,
        f"app.goto('{mode}')",
        label,
        "Aller",
        show=False,
        priority=True,
        short=short or label,
        command=f"Aller : {label}",
    )


def bindings(keys: Iterable[Key]) -> list[Binding]:
    """`BINDINGS` of a screen or widget: every key of the table (palette-only entries have no binding)."""
    return [k.binding() for k in keys if k.key]


def palette_only(keys: Iterable[Key]) -> list[Key]:
    return [k for k in keys if not k.key and k.palette]
