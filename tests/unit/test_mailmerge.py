"""Mail merge (T, L2): known variables filled, unknown ones reported by name and never silently printed."""

from __future__ import annotations

from lsc_tui.domain.mailmerge import VARIABLES, describe_unknown, merge, unknown_variables

VALUES = {"entite.nom": "Résidence Les Tilleuls", "tiers.nom": "M. DUPONT Jean", "date": "23 novembre 2026"}


def test_known_variables_are_filled_whatever_their_case() -> None:
    result = merge("Objet : {Entite.Nom} — {tiers.nom}, le {date}.", VALUES)
    assert result.text == "Objet : Résidence Les Tilleuls — M. DUPONT Jean, le 23 novembre 2026."
    assert result.unknown == () and result.empty == ()


def test_an_unknown_variable_is_reported_by_name_and_left_as_typed() -> None:
    result = merge("Bonjour {tiers.nom}, voir {entite.nmo} et {entite nom}.", VALUES)
    assert result.unknown == ("entite.nmo", "entite nom")
    assert "{entite.nmo}" in result.text  # visible in the draft, flagged to the caller
    assert unknown_variables("{entite.nmo}", "{date} {AR24_LienConsentement} {foo}") == ["entite.nmo", "foo"]
    assert describe_unknown(["entite.nmo"]).startswith("Variable inconnue : {entite.nmo}")
    assert describe_unknown([]) == ""


def test_a_known_variable_without_value_is_reported_empty() -> None:
    result = merge("Lien : {AR24_LienConsentement}", {})
    assert result.text == "Lien : " and result.empty == ("AR24_LienConsentement",)


def test_double_braces_print_a_brace_and_the_catalogue_has_the_documented_names() -> None:
    assert merge("{{tiers.nom}}", VALUES).text == "{tiers.nom}"
    for name in ("entite.nom", "entite.adresse", "tiers.nom", "gerant.nom", "date", "AR24_LienConsentement"):
        assert name in VARIABLES
