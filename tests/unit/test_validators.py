"""Bad input, checked with the libraries made for it (issue #7 §5): names, phones, emails and OTP codes.

Each case is an input a user really types or pastes (from a contact card, a WhatsApp export, an Arabic-locale
keyboard…); the expected result is written out, never computed by the code under test.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from lsc_tui.domain.contact import (
    InvalidEmail,
    check_email,
    check_phone,
    email_ascii_problem,
    normalise_email,
)
from lsc_tui.domain.names import (
    ORGANISATION_NAME_MAX_LEN,
    PERSON_NAME_MAX_LEN,
    check_name,
    normalise_name,
)
from lsc_tui.domain.otp import InvalidOtp, parse_otp
from lsc_tui.services import entities, parties, templates
from lsc_tui.services.errors import ValidationFailed
from lsc_tui.store import RecordStore as Store
from tests.fixtures import context, seeded_store


def one_sentence(message: str) -> bool:
    """What every refusal must be: one French sentence on one line, ending with a full stop."""
    return bool(message) and "\n" not in message and message.endswith(".") and message.count(". ") == 0


# ---------------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "raw",
    [
        "Dupont",
        "Éloïse Lefèvre",
        "Jean-François Œhlert",
        "O’Brien",
        "L'Hôte",
        "S.C.I. Dupont & Fils",  # the provider-safe form is clean_name's job, not a reason to refuse
        "Le\u0301a",  # NFD, as macOS pastes it
        "Nguyễn Thị Minh Khai",
        "  Dupont  ",
    ],
)
def test_real_names_are_accepted(raw: str) -> None:
    assert check_name(raw) == ""


@pytest.mark.parametrize("raw", ["", "   ", "\u00a0", "\t "])
def test_an_empty_name_is_refused_naming_the_field(raw: str) -> None:
    message = check_name(raw, field="Prénom")
    assert message == "Le champ « Prénom » est vide : il est obligatoire."


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Dupont\tJean", "U+0009"),
        ("Dupont\nJean", "U+000A"),
        ("Dupont\x00", "U+0000"),
        ("Dupont\x1b[31m", "U+001B"),  # a terminal escape sequence pasted from a log
        ("\u200bDupont", "U+200B"),  # zero-width space
        ("Du\u00adpont", "U+00AD"),  # soft hyphen
        ("\ufeffDupont", "U+FEFF"),  # byte-order mark at the start of a CSV cell
        ("Dupont\u2028Jean", "U+2028"),  # line separator
    ],
)
def test_invisible_and_control_characters_are_refused_with_their_code(raw: str, code: str) -> None:
    message = check_name(raw)
    assert message.startswith("Le champ « Nom » contient un caractère invisible ou de contrôle")
    assert f"({code})" in message
    assert one_sentence(message)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("\u202eDupont", "U+202E"),  # right-to-left override: "exe.fdp" shown as "pdf.exe"
        ("\u202aDupont\u202c", "U+202A"),
        ("Dupont\u2066x\u2069", "U+2066"),
        ("\u2067Dupont", "U+2067"),
        ("\u200eDupont", "U+200E"),
        ("Dupont\u200f", "U+200F"),
        ("\u061cDupont", "U+061C"),
        ("Dupont\u202d", "U+202D"),
    ],
)
def test_bidi_controls_are_refused_as_such(raw: str, code: str) -> None:
    message = check_name(raw, field="Nom du modèle", max_len=ORGANISATION_NAME_MAX_LEN)
    assert message == (
        f"Le champ « Nom du modèle » contient un caractère invisible qui inverse le sens "
        f"de l'écriture ({code}) : retapez-le au clavier."
    )


def test_length_is_counted_after_nfc_and_trimming() -> None:
    assert PERSON_NAME_MAX_LEN == 100 and ORGANISATION_NAME_MAX_LEN == 200
    assert check_name("A" * 100) == ""
    assert check_name("  " + "A" * 100 + "  ") == ""
    assert check_name("e\u0301" * 100) == ""  # 200 code points typed, 100 characters once composed
    assert check_name("A" * 101) == "Le champ « Nom » dépasse 100 caractères (101) : abrégez-le."
    assert check_name("A" * 200, field="Raison sociale", max_len=ORGANISATION_NAME_MAX_LEN) == ""
    assert check_name("A" * 201, field="Raison sociale", max_len=ORGANISATION_NAME_MAX_LEN) == (
        "Le champ « Raison sociale » dépasse 200 caractères (201) : abrégez-le."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Le\u0301a   Dupont ", "Léa Dupont"),
        ("Cœur\u00a0de\u202fLion", "Cœur de Lion"),
        ("\tDupont\n", "Dupont"),
        ("Dupont\tJean", "Dupont\tJean"),  # not a space: check_name refuses it
        ("SCI  Dupont & Fils", "SCI Dupont & Fils"),
        ("Dupont", "Dupont"),
    ],
)
def test_names_are_stored_nfc_trimmed_with_single_spaces(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected
    assert unicodedata.is_normalized("NFC", normalise_name(raw))


# ---------------------------------------------------------------------------------------------- names in services


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return seeded_store(tmp_path / "data")


def test_template_name_goes_through_the_name_validator(store: Store) -> None:
    ctx = context(store)
    bidi = templates.blank().evolve(name="Bail \u202efdp.exe")
    assert templates.validate(ctx, bidi)["name"] == (
        "Le champ « Nom du modèle » contient un caractère invisible qui inverse le sens "
        "de l'écriture (U+202E) : retapez-le au clavier."
    )
    too_long = templates.blank().evolve(name="B" * 201)
    assert "dépasse 200 caractères" in templates.validate(ctx, too_long)["name"]
    assert "name" not in templates.validate(ctx, templates.blank().evolve(name="B" * 200))
    assert templates.validate(ctx, templates.blank())["name"] == "Donnez un nom au modèle."
    for name in ("Bail \u202efdp.exe", "Bail\tmeublé", "Bail\nmeublé"):
        with pytest.raises(ValidationFailed) as refused:
            templates.save(ctx, templates.blank().evolve(name=name))
        assert set(refused.value.errors) == {"name"}


def test_template_name_is_saved_nfc_with_single_spaces(store: Store) -> None:
    ctx = context(store)
    saved = templates.save(ctx, templates.blank().evolve(name="  Re\u0301siliation   du bail "))
    assert saved.name == "Résiliation du bail"
    assert templates.get(ctx, saved.id).name == "Résiliation du bail"


def test_manager_name_of_an_entity_goes_through_the_name_validator(store: Store) -> None:
    ctx = context(store)
    ent = entities.list_entities(ctx)[0]
    with pytest.raises(ValidationFailed) as refused:
        entities.save_mail_variables(
            ctx, ent.id, "Claire\u202e Martin", "claire@cabinet.fr", expect_rev=ent.rev
        )
    assert set(refused.value.errors) == {"manager_name"}
    assert "U+202E" in refused.value.errors["manager_name"]
    assert entities.list_entities(ctx)[0].mail_variables == ent.mail_variables  # nothing written
    saved = entities.save_mail_variables(
        ctx, ent.id, " Paul  Roy\u0301 ", "paul@cabinet.fr", expect_rev=ent.rev
    )
    assert saved.mail_variables.manager_name == "Paul Roý"


# ---------------------------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("+33 6 08 90 41 23", "+33608904123"),
        ("+33.6.08.90.41.23", "+33608904123"),
        ("+33-6-08-90-41-23", "+33608904123"),
        ("+33608904123", "+33608904123"),
        (" +33 6 08 90 41 23 ", "+33608904123"),
        ("+33\u00a06\u00a008\u00a090\u00a041\u00a023", "+33608904123"),  # French typography: NBSP
        ("+33\u202f6\u202f08\u202f90\u202f41\u202f23", "+33608904123"),  # narrow NBSP
        ("+44 7911 123456", "+447911123456"),
        ("+32 470 12 34 56", "+32470123456"),
        ("+1 (202) 555-0143", "+12025550143"),
    ],
)
def test_international_number_with_separators_is_ok_and_normalised(raw: str, e164: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164, check.is_mobile, check.message) == (True, e164, True, "")


@pytest.mark.parametrize(
    "raw",
    ["06 08 90 41 23", "0608904123", "0033 6 08 90 41 23", "+33 (0)6 08 90 41 23", "+33 06 08 90 41 23"],
)
def test_national_or_trunk_prefixed_number_is_not_ok_and_carries_its_fix(raw: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164, check.is_mobile) == (False, "+33608904123", True)
    assert check.message == "Format international attendu : +33608904123"


@pytest.mark.parametrize(
    "raw",
    [
        "٠٦ ٠٨ ٩٠ ٤١ ٢٣",  # Arabic-Indic digits
        "+٣٣٦٠٨٩٠٤١٢٣",
        "۰۶۰۸۹۰۴۱۲۳",  # Extended Arabic-Indic (Persian, Urdu)
        "０６ ０８ ９０ ４１ ２３",  # full-width digits from a Japanese IME
        "०६०८९०४१२३",  # Devanagari
    ],
)
def test_non_ascii_digits_get_a_message_and_no_fix(raw: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164) == (False, None)
    assert check.message == (
        f"« {raw} » contient des chiffres d'une autre écriture : saisissez le numéro avec les chiffres 0 à 9."
    )


@pytest.mark.parametrize(
    "raw",
    [
        "06 O8 90 41 23",
        "+33 6 CALL ME 23",
        "tel: 06 08 90 41 23",
        "+33 6 08 90 41 23 ext. 5",
        "06 08 90 41 23 a",
    ],
)
def test_letters_get_a_message_and_no_fix(raw: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164) == (False, None)
    assert check.message == f"« {raw} » contient des lettres : un numéro ne contient que des chiffres."


@pytest.mark.parametrize(
    "raw",
    [
        "06 08 90 41 23 📱",
        "📱 06 08 90 41 23",
        "☎ +33 6 08 90 41 23",
        "06 08 90 41 23*",
        "06#08904123",
        "06+0890",
    ],
)
def test_emoji_and_symbols_get_a_message_and_no_fix(raw: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164) == (False, None)
    assert check.message == (
        f"« {raw} » contient des symboles : saisissez seulement le + initial, les chiffres et des espaces."
    )


@pytest.mark.parametrize(
    "raw",
    [
        "\u202a+33 6 08 90 41 23\u202c",  # how WhatsApp and Outlook wrap a copied number
        "\u200e+33 6 08 90 41 23",
        "+33\u200b608904123",
    ],
)
def test_invisible_characters_are_shown_and_the_fix_offered(raw: str) -> None:
    check = check_phone(raw)
    assert (check.ok, check.e164, check.is_mobile) == (False, "+33608904123", True)
    assert (
        check.message
        == "Le numéro contient des caractères invisibles (copier-coller) : +33608904123 convient."
    )


def test_landline_rules_are_unchanged() -> None:
    national = check_phone("04 72 33 44 55")
    assert (national.ok, national.e164, national.is_mobile) == (False, "+33472334455", False)
    assert "fixe" in national.message
    international = check_phone("+33 4 72 33 44 55")
    assert (international.ok, international.is_mobile) == (False, False)
    assert "fixe" in international.message
    assert check_phone("+33 4 72 33 44 55", mobile_required=False).ok
    assert check_phone("+33 4 72 33 44 55", mobile_required=False).e164 == "+33472334455"


def test_the_contact_form_stores_a_spaced_international_mobile_as_e164(store: Store) -> None:
    ctx = context(store)
    pid = store.select("parties")[0]["id"]
    rev = store.get("parties", pid)["_rev"]
    arabic = parties.ContactForm("zoé@exemple.fr", "٠٦ ٠٨ ٩٠ ٤١ ٢٣", "", "", "", "")
    with pytest.raises(ValidationFailed) as refused:
        parties.save_contact(ctx, pid, arabic, expect_rev=rev)
    assert set(refused.value.errors) == {"mobile"}  # the accented address is fine
    assert store.get("parties", pid)["_rev"] == rev  # nothing written
    spaced = parties.ContactForm("zoé@exemple.fr", "+33 6 08 90 41 23", "", "", "", "")
    saved = parties.save_contact(ctx, pid, spaced, expect_rev=rev)
    assert (saved.mobile, saved.email) == ("+33608904123", "zoé@exemple.fr")


# ---------------------------------------------------------------------------------------------- emails


@pytest.mark.parametrize(
    "raw",
    [
        "zoé@exemple.fr",
        "Zoé@Exemple.FR",
        "léa@exémple.fr",
        "jürgen.müller@beispiel.de",
        "lea.moreau@exemple.fr",
        "o'brien@x.ie",
        "a+b@sub.domain.fr",
        "claire.martin@cabinet-martin.example",  # the demo's addresses
    ],
)
def test_internationalised_and_plain_addresses_are_valid(raw: str) -> None:
    assert check_email(raw) == ""


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Email manquant."),
        ("lea.moreau.exemple.fr", "« lea.moreau.exemple.fr » n'est pas une adresse email : il manque le @."),
        ("a@@b.fr", "« a@@b.fr » n'est pas une adresse email : elle contient plusieurs @."),
        ("lea.moreau@", "« lea.moreau@ » n'est pas une adresse email : il manque le domaine après le @."),
        ("@exemple.fr", "« @exemple.fr » n'est pas une adresse email : il manque le nom avant le @."),
        (
            "lea moreau@exemple.fr",
            "« lea moreau@exemple.fr » n'est pas une adresse email : elle contient une espace.",
        ),
        ("a@b", "« a@b » n'est pas une adresse email : le domaine « b » n'a pas d'extension (.fr, .com…)."),
        (
            "zoé@exemple",
            "« zoé@exemple » n'est pas une adresse email : le domaine « exemple » n'a pas d'extension (.fr, .com…).",
        ),
        ("x y@z.fr", "« x y@z.fr » n'est pas une adresse email : elle contient une espace."),
        (".a@b.fr", "« .a@b.fr » n'est pas une adresse email valide."),
        ("a..b@c.fr", "« a..b@c.fr » n'est pas une adresse email valide."),
        ("lea@exemple.fr.", "« lea@exemple.fr. » n'est pas une adresse email valide."),
        ("lea@-exemple.fr", "« lea@-exemple.fr » n'est pas une adresse email valide."),
        ("lea@exemple.test", "« lea@exemple.test » n'est pas une adresse email valide."),
        ("a" * 65 + "@x.fr", f"« {'a' * 65}@x.fr » n'est pas une adresse email valide."),
        (
            "lea@exemple.fr\u202e",
            "« lea@exemple.fr\ufffd » n'est pas une adresse email : elle contient un caractère invisible.",
        ),
    ],
)
def test_bad_addresses_get_one_french_sentence(raw: str, message: str) -> None:
    assert check_email(raw) == message


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("  Zoé@EXEMPLE.FR ", "Zoé@exemple.fr"),
        ("lea@EXÉMPLE.fr", "lea@exémple.fr"),
        ("Lea.Moreau@Exemple.Fr", "Lea.Moreau@exemple.fr"),  # the local part is the mailbox owner's: kept
        ("zoe\u0301@exemple.fr", "zoé@exemple.fr"),
    ],
)
def test_normalised_address_has_a_lower_case_domain(raw: str, normalised: str) -> None:
    assert normalise_email(raw) == normalised


def test_normalising_a_bad_address_raises_its_sentence() -> None:
    with pytest.raises(InvalidEmail) as refused:
        normalise_email("a@b")
    assert isinstance(refused.value, ValueError)
    assert (
        str(refused.value)
        == "« a@b » n'est pas une adresse email : le domaine « b » n'a pas d'extension (.fr, .com…)."
    )


@pytest.mark.parametrize(
    ("raw", "provider", "message"),
    [
        ("lea.moreau@exemple.fr", "YouSign", ""),
        (
            "zoé@exemple.fr",
            "YouSign",
            "L'adresse zoé@exemple.fr contient des caractères accentués : YouSign la refusera.",
        ),
        (
            "lea@exémple.fr",
            "ESign",
            "L'adresse lea@exémple.fr contient des caractères accentués : ESign la refusera.",
        ),
        (
            "leа@exemple.fr",
            "YouSign",
            "L'adresse leа@exemple.fr contient des caractères non latins : YouSign la refusera.",
        ),
        (
            "日本@例え.jp",
            "AR24",
            "L'adresse 日本@例え.jp contient des caractères non latins : AR24 la refusera.",
        ),
    ],
)
def test_ascii_problem_for_providers_that_refuse_non_ascii(raw: str, provider: str, message: str) -> None:
    assert email_ascii_problem(raw, provider=provider) == message


def test_ascii_problem_defaults_to_yousign() -> None:
    assert email_ascii_problem("zoé@exemple.fr") == (
        "L'adresse zoé@exemple.fr contient des caractères accentués : YouSign la refusera."
    )


# ---------------------------------------------------------------------------------------------- OTP codes


@pytest.mark.parametrize(
    "raw",
    ["594809", "594 809", "594\u00a0809", "594\u202f809", " 594809 \n", "\t594 809", "5 9 4 8 0 9"],
)
def test_otp_spaces_are_stripped(raw: str) -> None:
    assert parse_otp(raw) == "594809"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Saisissez le code à 6 chiffres affiché par l'application : rien n'a été envoyé."),
        ("   ", "Saisissez le code à 6 chiffres affiché par l'application : rien n'a été envoyé."),
        (
            "59480",
            "Le code saisi a 5 chiffres au lieu de 6 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "5948090",
            "Le code saisi a 7 chiffres au lieu de 6 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "59a809",
            "Le code ne contient que des chiffres de 0 à 9 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "594-809",
            "Le code ne contient que des chiffres de 0 à 9 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "٥٩٤٨٠٩",
            "Le code ne contient que des chiffres de 0 à 9 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "５９４８０９",
            "Le code ne contient que des chiffres de 0 à 9 : rien n'a été envoyé, saisissez le code affiché.",
        ),
        (
            "594\u200b809",
            "Le code ne contient que des chiffres de 0 à 9 : rien n'a été envoyé, saisissez le code affiché.",
        ),
    ],
)
def test_otp_refusals_are_one_sentence_without_the_code(raw: str, message: str) -> None:
    with pytest.raises(InvalidOtp) as refused:
        parse_otp(raw)
    assert isinstance(refused.value, ValueError)
    assert str(refused.value) == message
    digits = "".join(ch for ch in raw if ch.isdigit())
    assert not digits or digits not in str(refused.value)  # a code is a secret: never echoed
