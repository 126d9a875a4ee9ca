"""Mail-merge variables of letter templates: the catalogue, the merge, and the detection of unknown names.

A variable the catalogue does not know (a typo such as `{entite.nmo}`) must never reach a letter as it was
typed: the merge reports it by name so that the template form flags it and the event render refuses it.
Names are matched without regard to case, so `{Entite.Nom}` is the same variable as `{entite.nom}`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: Every variable a template may use, with what it prints (shown in the template form as a reminder).
VARIABLES: dict[str, str] = {
    "entite.nom": "Nom de l'entité (immeuble, mandat)",
    "entite.adresse": "Adresse de l'entité, sur une ligne",
    "entite.code": "Code de l'entité",
    "tiers.nom": "Nom du ou des tiers de l'événement",
    "tiers.adresse": "Adresse du premier tiers, sur une ligne",
    "tiers.email": "Email du premier tiers",
    "gerant.nom": "Nom du gérant (variables courrier de l'entité, sinon de l'administration)",
    "gerant.email": "Email du gérant",
    "administration.nom": "Nom du cabinet",
    "date": "Date du courrier (jour de l'envoi)",
    "chrono": "Numéro chrono (attribué à l'envoi)",
    "lot": "Numéro de lot de l'événement",
    "AR24_LienConsentement": "Lien qui permet au destinataire de donner son consentement LRE (AR24)",
}

_CANONICAL: dict[str, str] = {name.lower(): name for name in VARIABLES}

# Anything between single braces on one line is a variable candidate, so that `{entite nom}` is flagged
# too; `{{` and `}}` print a literal brace.
_PATTERN = re.compile(r"\{\{|\}\}|\{([^{}\n]{1,80})\}")


@dataclass(frozen=True)
class MergeResult:
    """The merged text; `unknown` lists names not in the catalogue (left as typed, braces included),
    `empty` the known variables that had no value (printed as nothing)."""

    text: str
    unknown: tuple[str, ...] = ()
    empty: tuple[str, ...] = ()


def _lowered(catalogue: Mapping[str, str] | None) -> dict[str, str]:
    """Lower-case name → catalogue spelling, for the letters' catalogue or another one (message templates)."""
    if catalogue is None:
        return _CANONICAL
    return {name.lower(): name for name in catalogue}


def canonical(name: str, catalogue: Mapping[str, str] | None = None) -> str | None:
    """Catalogue spelling of a variable name, or None when it is not a known variable."""
    return _lowered(catalogue).get(name.strip().lower())


def variables_in(text: str) -> list[str]:
    """Variable names used in `text`, as typed, in order of first use."""
    seen: dict[str, None] = {}
    for match in _PATTERN.finditer(text):
        if match.group(1) is not None:
            seen.setdefault(match.group(1), None)
    return list(seen)


def unknown_variables(*texts: str, catalogue: Mapping[str, str] | None = None) -> list[str]:
    """Names used in any of `texts` that the catalogue does not know, in order of first use."""
    found: dict[str, None] = {}
    known = _lowered(catalogue)
    for text in texts:
        for name in variables_in(text):
            if name.strip().lower() not in known:
                found.setdefault(name, None)
    return list(found)


def merge(text: str, values: Mapping[str, str], catalogue: Mapping[str, str] | None = None) -> MergeResult:
    """Replace every known variable by its value (keys of `values` use the catalogue spelling); `catalogue`:
    another list of variables than the letters' (message templates have their own)."""
    unknown: dict[str, None] = {}
    empty: dict[str, None] = {}
    known = _lowered(catalogue)

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = known.get(match.group(1).strip().lower())
        if name is None:
            unknown.setdefault(match.group(1), None)
            return token
        value = values.get(name, "")
        if not value:
            empty.setdefault(name, None)
        return value

    return MergeResult(_PATTERN.sub(replace, text), tuple(unknown), tuple(empty))


def describe_unknown(names: list[str] | tuple[str, ...]) -> str:
    """One line for the form and for errors: which names are unknown (empty string when none)."""
    if not names:
        return ""
    shown = ", ".join("{" + n + "}" for n in names)
    if len(names) == 1:
        return f"Variable inconnue : {shown} — corrigez-la d'après la liste des variables."
    return f"Variables inconnues : {shown} — corrigez-les d'après la liste des variables."
