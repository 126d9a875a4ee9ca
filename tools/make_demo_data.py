"""Regenerate demo_data/*.json: a believable Lyon agency, with the faults the demo shows how to fix.

Dates are stored relative to the seeding day (`days_ago`), so the demo looks fresh whenever it is seeded.
Run: python tools/make_demo_data.py
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "demo_data"

USERS = [
    {
        "key": "claire",
        "login": "claire",
        "name": "Claire Martin",
        "email": "claire.martin@cabinet-martin.example",
        "role": "admin",
        "ar24_email": "claire.martin@cabinet-martin.example",
    },
    {
        "key": "julien",
        "login": "julien",
        "name": "Julien Roche",
        "email": "julien.roche@cabinet-martin.example",
        "role": "staff",
        "ar24_email": "julien.roche@cabinet-martin.example",
    },
]

ADMINISTRATION = {
    "name": "Cabinet Martin Immobilier",
    "address": ["18 quai Saint-Antoine", "69002 Lyon"],
    "contact": "04 78 42 10 10 · contact@cabinet-martin.example",
    # {AR24_LienConsentement}: the page where a recipient consents to LRE (AR24's consent manager link)
    "ar24_consent_link": "https://www.ar24.fr/consentement/cabinet-martin-immobilier",
    "mail_variables": {
        "manager_name": "Claire Martin",
        "manager_email": "claire.martin@cabinet-martin.example",
    },
}

ENTITIES = [
    {
        "key": "tilleuls",
        "name": "Résidence Les Tilleuls",
        "kind": "copropriete",
        "code": "TIL",
        "address": {"line1": "12 rue des Tilleuls", "zipcode": "69003", "city": "Lyon"},
        "mail_variables": {
            "manager_name": "Claire Martin",
            "manager_email": "claire.martin@cabinet-martin.example",
        },
        "payment_method_id": "7101",
    },
    {
        "key": "vignes",
        "name": "Le Clos des Vignes",
        "kind": "copropriete",
        "code": "CDV",
        "address": {"line1": "4 chemin des Vignes", "zipcode": "69005", "city": "Lyon"},
        "mail_variables": {"manager_name": "", "manager_email": ""},
        "payment_method_id": "7102",
    },
    {
        "key": "garnier",
        "name": "Mandat de gestion — M. et Mme Garnier",
        "kind": "gestion",
        "code": "GAR",
        "address": {"line1": "27 rue Vendôme", "zipcode": "69006", "city": "Lyon"},
        "mail_variables": {
            "manager_name": "Julien Roche",
            "manager_email": "julien.roche@cabinet-martin.example",
        },
    },
    {
        "key": "lefevre",
        "name": "Dossier patrimonial — Famille Lefèvre-Nguyen",
        "kind": "patrimoine",
        "code": "LEF",
        "address": {"line1": "3 place Bellecour", "zipcode": "69002", "city": "Lyon"},
        "mail_variables": {
            "manager_name": "Claire Martin",
            "manager_email": "claire.martin@cabinet-martin.example",
        },
    },
]


def person(key, civ, last, first, email, mobile, addr=None, **kw):
    rec = {
        "key": key,
        "kind": "person",
        "civility": civ,
        "last_name": last,
        "first_name": first,
        "email": email,
        "mobile": mobile,
        "address": addr or {},
    }
    rec.update(kw)
    return rec


A = lambda line1, zipc="69003", city="Lyon": {"line1": line1, "zipcode": zipc, "city": city}  # noqa: E731

PARTIES = [
    # Résidence Les Tilleuls, lot 12: co-tenancy with guarantors; one co-tenant's phone in national format (demo step 2)
    person(
        "coloc-lea",
        "Mme",
        "Moreau",
        "Léa",
        "lea.moreau@exemple.fr",
        "+33611223344",
        A("12 rue des Tilleuls, lot 12"),
    ),
    person(
        "coloc-hugo",
        "M.",
        "Fontaine",
        "Hugo",
        "hugo.fontaine@exemple.fr",
        "06 08 90 41 23",
        A("12 rue des Tilleuls, lot 12"),
    ),
    person(
        "coloc-ines",
        "Mme",
        "Benali",
        "Inès",
        "ines.benali@exemple.fr",
        "+33622334455",
        A("12 rue des Tilleuls, lot 12"),
    ),
    person(
        "garant-moreau",
        "M.",
        "Moreau",
        "Gérard",
        "gerard.moreau@exemple.fr",
        "+33633445566",
        A("8 rue Mercière", "69002"),
    ),
    person(
        "garant-fontaine",
        "Mme",
        "Fontaine",
        "Françoise",
        "francoise.fontaine@exemple.fr",
        "+33644556677",
        A("15 avenue Jean-Jaurès", "69007"),
    ),
    # single tenant + guarantor
    person(
        "loc-petit",
        "M.",
        "Petit",
        "Noël",
        "noel.petit@exemple.fr",
        "+33655667788",
        A("12 rue des Tilleuls, lot 4"),
    ),
    person(
        "garant-petit",
        "Mme",
        "Petit",
        "Hélène",
        "helene.petit@exemple.fr",
        "04 72 33 44 55",
        A("2 rue Brûlée", "69001"),
    ),
    # owners: a simple owner, an indivision of three (joint owners of lot 7)
    person(
        "prop-garnier",
        "M.",
        "Garnier",
        "Étienne",
        "etienne.garnier@exemple.fr",
        "+33666778899",
        A("27 rue Vendôme", "69006"),
    ),
    person(
        "indiv-bernard-1",
        "Mme",
        "Bernard",
        "Anaïs",
        "anais.bernard@exemple.fr",
        "+33677889900",
        A("5 rue de la Part-Dieu"),
    ),
    person(
        "indiv-bernard-2",
        "M.",
        "Bernard",
        "Jean-Baptiste",
        "jb.bernard@exemple.fr",
        "07 81 22 33 44",
        A("40 cours Gambetta", "69007"),
    ),
    person("indiv-bernard-3", "M.", "Bernard", "Loïc", "", "+33688990011", A("9 rue d'Austerlitz", "69004")),
    # sale of lot 23: seller, buyer, their notaries
    person(
        "vendeur-cote",
        "Mme",
        "Côté",
        "Séverine",
        "severine.cote@exemple.fr",
        "+33699001122",
        A("12 rue des Tilleuls, lot 23"),
    ),
    person(
        "acq-diaye",
        "M.",
        "N'Diaye",
        "Moussa",
        "moussa.ndiaye@exemple.fr",
        "+33610203040",
        A("71 rue Garibaldi", "69006"),
    ),
    {
        "key": "notaire-vendeur",
        "kind": "company",
        "company_name": "Office notarial Cœurdevey & Associés",
        "representative": "Me Noémie Cœurdevey",
        "last_name": "Cœurdevey",
        "first_name": "Noémie",
        "email": "n.coeurdevey@notaires.example",
        "mobile": "+33478000001",
        "address": A("1 place des Jacobins", "69002"),
        "is_professional": True,
    },
    {
        "key": "notaire-acq",
        "kind": "company",
        "company_name": "SCP Brûlé-Ménard, notaires",
        "representative": "Me Zoé Ménard",
        "last_name": "Ménard",
        "first_name": "Zoé",
        "email": "z.menard@notaires.example",
        "mobile": "+33612131415",
        "address": A("22 rue de la République", "69002"),
        "is_professional": True,
    },
    # a company owner and a protected person
    {
        "key": "sci-dupont",
        "kind": "company",
        "company_name": "S.C.I. Dupont & Fils",
        "representative": "M. Marc Dupont",
        "last_name": "Dupont",
        "first_name": "Marc",
        "email": "marc.dupont@sci-dupont.example",
        "mobile": "+33620304050",
        "address": A("30 rue Duquesne", "69006"),
        "is_professional": True,
    },
    person(
        "protege-roux",
        "Mme",
        "Roux",
        "Marguerite",
        "",
        "",
        A("Ehpad Les Glycines, 3 rue Pasteur", "69007"),
        kind="protected",
        legal_representative="UDAF du Rhône — M. Olivier Giraud (curateur)",
    ),
    person(
        "curateur-giraud",
        "M.",
        "Giraud",
        "Olivier",
        "o.giraud@udaf69.example",
        "+33630405060",
        A("12 rue de Créqui", "69006"),
        is_professional=True,
    ),
]

# Le Clos des Vignes: 14 co-owners convened to the AG; the council is 4 members + a president.
VIGNES = [
    ("Lambert", "Chloé", "Mme"),
    ("Rousseau", "Thierry", "M."),
    ("Vincent", "Gaëlle", "Mme"),
    ("Mercier", "Rémi", "M."),
    ("Blanc", "Océane", "Mme"),
    ("Guérin", "François", "M."),
    ("Boyer", "Maëlle", "Mme"),
    ("Chevalier", "Benoît", "M."),
    ("Faure", "Élodie", "Mme"),
    ("Œhmichen", "Stéphane", "M."),
    ("Perrin", "Bérénice", "Mme"),
    ("Lemoine", "Cédric", "M."),
    ("D'Almeida", "Joëlle", "Mme"),
    ("Kerhervé", "Yannick", "M."),
]
for i, (last, first, civ) in enumerate(VIGNES, start=1):
    slug = last.lower().replace("'", "").replace("œ", "oe").replace("é", "e").replace("è", "e")
    email = f"{first.lower()[0]}.{slug}@exemple.fr".replace("é", "e").replace("ë", "e")
    mobile = f"+3361{i:02d}{(i * 7919) % 100000:05d}"
    consent = i != 4  # a private co-owner without LRE consent (DEMO.md step 6: switched to paper)
    rec = person(
        f"vignes-{i:02d}",
        civ,
        last,
        first,
        email,
        mobile,
        A(f"4 chemin des Vignes, lot {i}", "69005"),
        lre_consent=consent,
        lre_consent_date="2026-01-15T10:00:00" if consent else "",
        lre_consent_source="assemblée générale 2026" if consent else "",
    )
    if i == 6:
        rec["email"] = ""  # missing email: the validation screen shows it (demo step 6)
    if i == 11:
        rec["address"] = {}  # no postal address: paper is not possible until fixed
    PARTIES.append(rec)

# Tilleuls co-owners for volume and the council
TILLEULS = [
    ("Robin", "Anne", "Mme"),
    ("Morel", "Pascal", "M."),
    ("Girard", "Sophie", "Mme"),
    ("André", "Luc", "M."),
    ("Lefèvre", "Cécile", "Mme"),
    ("Roussel", "Théo", "M."),
    ("Colin", "Agnès", "Mme"),
    ("Arnaud", "Baptiste", "M."),
    ("Gauthier", "Inès", "Mme"),
    ("Masson", "Jérôme", "M."),
    ("Marchand", "Léonie", "Mme"),
    ("Dumont", "Hervé", "M."),
    ("Brun", "Solène", "Mme"),
    ("Roche", "Aurélien", "M."),
    ("Nguyen", "Thi Mai", "Mme"),
    ("Lefèvre-Nguyen", "Paul", "M."),
    ("Denis", "Céline", "Mme"),
    ("Meyer", "Grégoire", "M."),
    ("Barbier", "Maïwenn", "Mme"),
    ("Hubert", "Jean-Noël", "M."),
    ("Renaud", "Adèle", "Mme"),
    ("Schmitt", "Frédéric", "M."),
    ("Leroy", "Clémence", "Mme"),
    ("Caron", "Raphaël", "M."),
    ("Picard", "Émilie", "Mme"),
    ("Aubert", "Gilles", "M."),
    ("Lacroix", "Noémie", "Mme"),
    ("Huet", "Ludovic", "M."),
]
for i, (last, first, civ) in enumerate(TILLEULS, start=1):
    slug = last.lower().replace("è", "e").replace("é", "e").replace("'", "")
    mobile = (
        f"06 {10 + i:02d} {20 + i:02d} {30 + i:02d} {40 + i:02d}"
        if i % 5 == 0
        else f"+3367{i:02d}{(i * 104729) % 100000:05d}"
    )
    rec = person(
        f"tilleuls-{i:02d}",
        civ,
        last,
        first,
        f"{first.lower().split()[0]}.{slug}@exemple.fr".replace("é", "e").replace("ï", "i"),
        mobile,
        A(f"12 rue des Tilleuls, lot {30 + i}"),
        # the day's twelve convocations (to validate in F9) all go to consenting owners
        lre_consent=(i <= 12 or i % 3 != 0),
        lre_consent_date="2025-11-20T09:00:00" if (i <= 12 or i % 3 != 0) else "",
        lre_consent_source="contrat" if (i <= 12 or i % 3 != 0) else "",
    )
    if i == 7:
        rec["mobile"] = "04 78 60 70 80"  # a landline given as mobile
    PARTIES.append(rec)

COLOC_ARTICLES = [
    (
        "Désignation",
        "Le logement loué est situé {entite.adresse}, lot 12 : un appartement de quatre pièces au troisième étage, avec cave n° 7 et place de stationnement n° 21. La surface habitable est de 86,40 m².",
    ),
    (
        "Durée",
        "Le bail est consenti pour une durée de trois ans à compter de sa signature. À défaut de congé donné dans les formes légales, il se renouvelle tacitement pour la même durée.",
    ),
    (
        "Loyer",
        "Le loyer mensuel est fixé à 1 140 €, payable d'avance le premier de chaque mois. Il est révisé chaque année à la date anniversaire selon l'indice de référence des loyers publié par l'INSEE.",
    ),
    (
        "Charges",
        "Les colocataires versent une provision mensuelle sur charges de 165 €, régularisée chaque année au vu du décompte de la copropriété. Le détail des charges récupérables est tenu à leur disposition.",
    ),
    (
        "Solidarité",
        "Les colocataires {tiers.nom} sont tenus solidairement et indivisiblement du paiement du loyer, des charges et de toutes les obligations du bail. La solidarité d'un colocataire qui donne congé cesse six mois après la fin de son préavis s'il est remplacé.",
    ),
    (
        "Dépôt de garantie",
        "Un dépôt de garantie de 1 140 €, égal à un mois de loyer hors charges, est versé à la signature. Il est restitué dans le délai légal après la remise des clés, déduction faite des sommes dues.",
    ),
    (
        "Garants",
        "Les garants se portent caution solidaire des colocataires qu'ils garantissent, pour la durée du bail et de son premier renouvellement, dans la limite du montant mentionné dans leur acte de cautionnement.",
    ),
    (
        "État des lieux",
        "Un état des lieux contradictoire est établi à l'entrée et à la sortie. Les colocataires disposent de dix jours pour signaler une anomalie non relevée à l'entrée, et d'un mois pour les éléments de chauffage.",
    ),
    (
        "Usage des lieux",
        "Les lieux sont loués à usage exclusif d'habitation principale. Toute sous-location, même partielle, est interdite sans l'accord écrit du bailleur, y compris par une plateforme de location saisonnière.",
    ),
    (
        "Entretien",
        "Les colocataires prennent à leur charge l'entretien courant du logement et les menues réparations. Ils laissent exécuter les travaux d'amélioration des parties communes votés par l'assemblée générale.",
    ),
    (
        "Assurance",
        "Les colocataires justifient chaque année d'une assurance couvrant les risques locatifs. À défaut, le bailleur peut souscrire une assurance pour leur compte et en répercuter le coût majoré de 10 %.",
    ),
    (
        "Règlement de copropriété",
        "Les colocataires respectent le règlement de copropriété de la résidence, dont les extraits relatifs à la jouissance des parties privatives et communes leur sont remis avec le présent bail.",
    ),
    (
        "Congé",
        "Les colocataires peuvent donner congé à tout moment, par lettre recommandée ou par voie électronique, avec un préavis d'un mois, la résidence étant située en zone tendue.",
    ),
    (
        "Clause résolutoire",
        "À défaut de paiement du loyer, des charges ou du dépôt de garantie, ou de souscription de l'assurance, le bail est résilié de plein droit deux mois après un commandement resté sans effet.",
    ),
    (
        "Diagnostics",
        "Sont annexés : le diagnostic de performance énergétique (classe C), le constat de risque d'exposition au plomb, l'état des risques et pollutions et le diagnostic électricité et gaz.",
    ),
    (
        "Élection de domicile",
        "Pour l'exécution du présent bail, le bailleur fait élection de domicile en l'étude de son mandataire, le Cabinet Martin Immobilier, et les colocataires dans les lieux loués.",
    ),
    (
        "Animaux",
        "La détention d'animaux familiers est admise, sous réserve qu'ils ne causent aucun dégât ni trouble de jouissance aux autres occupants de la résidence.",
    ),
    (
        "Travaux des colocataires",
        "Aucune transformation des lieux ne peut être faite sans l'accord écrit du bailleur. Les aménagements réalisés restent acquis au bailleur sans indemnité, sauf s'il exige la remise en l'état.",
    ),
    (
        "Visites",
        "Pendant le préavis ou en cas de mise en vente, les colocataires laissent visiter le logement deux heures par jour ouvrable, à des horaires convenus à l'avance avec le mandataire.",
    ),
    (
        "Remplacement d'un colocataire",
        "Le colocataire sortant peut présenter un remplaçant. L'entrée du remplaçant fait l'objet d'un avenant signé par tous les colocataires, le bailleur et, le cas échéant, le nouveau garant.",
    ),
    (
        "Quittances",
        "Le mandataire adresse gratuitement une quittance à chaque colocataire qui en fait la demande, précisant le loyer et les charges réglés pour la période, sans distinguer la part de chacun.",
    ),
    (
        "Communications électroniques",
        "Les colocataires acceptent de recevoir par voie électronique les avis, décomptes et notifications relatifs au bail, y compris par lettre recommandée électronique, à l'adresse indiquée en tête du présent contrat.",
    ),
    (
        "Données personnelles",
        "Les données des colocataires et des garants sont traitées par le mandataire pour la gestion du bail, conservées pendant la durée légale et accessibles sur demande, conformément au règlement général sur la protection des données.",
    ),
    (
        "Médiation",
        "En cas de litige, les parties peuvent saisir la commission départementale de conciliation du Rhône avant toute action en justice, sans frais et dans les conditions prévues par la loi.",
    ),
    (
        "Annexes",
        "Sont annexés au présent bail : la notice d'information, l'état des lieux d'entrée, l'inventaire du mobilier, les actes de cautionnement, les extraits du règlement de copropriété et le dossier de diagnostic technique.",
    ),
    (
        "Signature électronique",
        "Le présent bail est signé électroniquement par chacune des parties. Chaque signataire reçoit un code de vérification ; le document signé et son dossier de preuve sont conservés par le mandataire.",
    ),
]
COLOC_BODY = (
    "Bail de colocation à usage d'habitation, soumis à la loi du 6 juillet 1989.\n\n"
    + "\n\n".join(f"Article {i} — {title}. {text}" for i, (title, text) in enumerate(COLOC_ARTICLES, start=1))
    + "\n\nChaque colocataire paraphe chaque page et signe la dernière « lu et approuvé »."
)

TEMPLATES = [
    {
        "key": "bail-simple",
        "name": "Bail d'habitation — locataire seul",
        "kind": "bail",
        "subject": "Bail d'habitation — {entite.nom}",
        "roles": ["tenant", "guarantors", "manager"],
        "visible_signatures": True,
        "placements": [
            {"role": "tenant", "page": 1, "x": 60, "y": 690, "width": 170, "height": 74},
            {"role": "guarantors", "page": 1, "x": 240, "y": 690, "width": 150, "height": 74},
            {"role": "manager", "page": 1, "x": 400, "y": 690, "width": 150, "height": 74},
        ],
        "body": "Entre les soussignés, {gerant.nom}, agissant pour le compte du bailleur, et {tiers.nom}, il a été convenu ce qui suit.\n\n"
        "Le bailleur donne en location le logement situé {entite.adresse}. Le loyer mensuel est fixé à 780 € charges comprises.\n\n"
        "Fait à Lyon, le {date}.",
    },
    {
        "key": "bail-coloc",
        "name": "Bail colocation",
        "kind": "bail",
        "subject": "Bail de colocation — {entite.nom}, lot 12",
        "roles": ["co_tenants", "guarantors", "manager"],
        "visible_signatures": True,
        "signature_note": "Chaque colocataire et chaque garant signe le bail ; votre code de vérification arrive par SMS.",
        "placements": [
            {"role": "co_tenants", "page": 1, "x": 60, "y": 700, "width": 150, "height": 60},
            {"role": "co_tenants", "page": 3, "x": 60, "y": 640, "width": 170, "height": 74},
            {"role": "guarantors", "page": 3, "x": 240, "y": 640, "width": 150, "height": 74},
            {"role": "manager", "page": 3, "x": 400, "y": 640, "width": 150, "height": 74},
        ],
        "body": COLOC_BODY,
    },
    {
        "key": "mandat-prop",
        "name": "Mandat de gestion — propriétaire",
        "kind": "mandat",
        "subject": "Mandat de gestion locative",
        "roles": ["owner", "manager"],
        "skip_sms": False,
        "visible_signatures": True,
        "placements": [
            {"role": "owner", "page": 1, "x": 60, "y": 700, "width": 170, "height": 74},
            {"role": "manager", "page": 1, "x": 360, "y": 700, "width": 170, "height": 74},
        ],
        "body": "{tiers.nom} confie au Cabinet Martin Immobilier la gestion du bien situé {entite.adresse}.\n\nHonoraires : 6,5 % HT des sommes encaissées.",
    },
    {
        "key": "mandat-indiv",
        "name": "Mandat de gestion — indivision",
        "kind": "mandat",
        "subject": "Mandat de gestion — indivision",
        "roles": ["joint_owners", "manager"],
        "visible_signatures": True,
        "placements": [
            {"role": "joint_owners", "page": 1, "x": 60, "y": 700, "width": 150, "height": 60},
            {"role": "manager", "page": 1, "x": 400, "y": 700, "width": 150, "height": 60},
        ],
        "body": "Les indivisaires {tiers.nom} confient ensemble la gestion du bien indivis.\n\nUn seul mandat pour toute l'indivision.",
    },
    {
        "key": "compromis",
        "name": "Compromis de vente",
        "kind": "vente",
        "subject": "Compromis de vente — lot 23",
        "roles": ["seller", "seller_notary", "buyer", "buyer_notary"],
        "skip_sms": True,
        "visible_signatures": True,
        "placements": [
            {"role": "seller", "page": 1, "x": 60, "y": 620, "width": 120, "height": 50},
            {"role": "buyer", "page": 1, "x": 200, "y": 620, "width": 120, "height": 50},
            {"role": "seller_notary", "page": 1, "x": 60, "y": 700, "width": 120, "height": 50},
            {"role": "buyer_notary", "page": 1, "x": 200, "y": 700, "width": 120, "height": 50},
        ],
        "body": "Le vendeur {tiers.nom} s'engage à vendre le lot 23 au prix de 245 000 €.\n\nCondition suspensive d'obtention de prêt.",
    },
    {
        "key": "convocation-ag",
        "name": "Convocation AG",
        "kind": "ag",
        "subject": "Convocation à l'assemblée générale — {entite.nom}",
        "roles": [],
        "body": "Madame, Monsieur,\n\nVous êtes convoqué(e) à l'assemblée générale des copropriétaires de {entite.nom}, "
        "qui se tiendra le 15 décembre 2026 à 18 h 30.\n\nL'ordre du jour et les annexes sont joints.\n\n"
        "Consentement LRE : {AR24_LienConsentement}",
    },
    {
        "key": "pv-conseil",
        "name": "Procès-verbal du conseil syndical",
        "kind": "conseil",
        "subject": "PV du conseil syndical",
        "roles": ["council_members", "council_president"],
        "skip_sms": True,
        "body": "Réunion du conseil syndical de {entite.nom}.\n\nPrésents : les membres du conseil.",
    },
    {
        "key": "avenant",
        "name": "Avenant — tiers et emplacement libre",
        "kind": "courrier",
        "subject": "Avenant",
        "roles": ["event_party", "manager"],
        "free_slots": 1,
        "body": "Avenant au contrat entre {tiers.nom} et le cabinet.",
    },
    {
        "key": "historisation",
        "name": "Historisation — document signé",
        "kind": "retour",
        "subject": "Document signé reçu",
        "roles": [],
        "is_historisation": True,
        "body": "Document signé électroniquement, reçu le {date}.",
    },
]


def ev(key, entity, template, title, parties, days_ago, **kw):
    rec = {
        "key": key,
        "entity": entity,
        "template": template,
        "title": title,
        "parties": parties,
        "days_ago": days_ago,
    }
    rec.update(kw)
    return rec


EVENTS = [
    ev(
        "ev-coloc-12",
        "tilleuls",
        "bail-coloc",
        "Bail colocation — Résidence Les Tilleuls, lot 12",
        [
            ["coloc-lea", "co_tenants"],
            ["coloc-hugo", "co_tenants"],
            ["coloc-ines", "co_tenants"],
            ["garant-moreau", "guarantors"],
            ["garant-fontaine", "guarantors"],
        ],
        1,
        lot="12",
    ),
    ev(
        "ev-bail-4",
        "tilleuls",
        "bail-simple",
        "Bail d'habitation — lot 4",
        [["loc-petit", "tenant"], ["garant-petit", "guarantors"]],
        2,
        lot="4",
    ),
    ev(
        "ev-mandat-garnier",
        "garnier",
        "mandat-prop",
        "Mandat de gestion — Garnier",
        [["prop-garnier", "owner"]],
        3,
    ),
    ev(
        "ev-mandat-bernard",
        "tilleuls",
        "mandat-indiv",
        "Mandat de gestion — indivision Bernard, lot 7",
        [
            ["indiv-bernard-1", "joint_owners"],
            ["indiv-bernard-2", "joint_owners"],
            ["indiv-bernard-3", "joint_owners"],
        ],
        4,
        lot="7",
    ),
    ev(
        "ev-compromis-23",
        "tilleuls",
        "compromis",
        "Compromis de vente — lot 23",
        [
            ["vendeur-cote", "seller"],
            ["acq-diaye", "buyer"],
            ["notaire-vendeur", "seller_notary"],
            ["notaire-acq", "buyer_notary"],
        ],
        5,
        lot="23",
    ),
    ev(
        "ev-mandat-sci",
        "lefevre",
        "mandat-prop",
        "Mandat de gestion — S.C.I. Dupont & Fils",
        [["sci-dupont", "owner"]],
        6,
    ),
    ev(
        "ev-avenant-roux",
        "lefevre",
        "avenant",
        "Avenant — Mme Roux (curatelle)",
        [["protege-roux", "event_party"]],
        7,
    ),
    ev(
        "ev-pv-conseil",
        "tilleuls",
        "pv-conseil",
        "PV du conseil syndical — octobre 2026",
        [[f"tilleuls-{i:02d}", "council_members"] for i in (1, 2, 3, 4)]
        + [["tilleuls-05", "council_president"]],
        12,
    ),
]
for i in range(1, 15):
    EVENTS.append(
        ev(
            f"ev-ag-vignes-{i:02d}",
            "vignes",
            "convocation-ag",
            f"Convocation AG 2026 — Le Clos des Vignes, lot {i}",
            [[f"vignes-{i:02d}", "event_party"]],
            0,
            lot=str(i),
        )
    )
# Events already sent: the sources of the seeded signature files and letters.
for i in range(1, 13):
    EVENTS.append(
        ev(
            f"ev-ag-tilleuls-{i:02d}",
            "tilleuls",
            "convocation-ag",
            f"Convocation AG 2026 — Résidence Les Tilleuls, lot {30 + i}",
            [[f"tilleuls-{i:02d}", "event_party"]],
            1,
            lot=str(30 + i),
            state="registered",
            chrono_seq=100 + i,
        )
    )
for i, (pk, title) in enumerate(
    [
        ("tilleuls-13", "Mise en demeure — charges impayées"),
        ("tilleuls-14", "Relance travaux de façade"),
        ("tilleuls-15", "Notification de décision d'AG"),
        ("tilleuls-16", "Mise en demeure — nuisances"),
        ("tilleuls-17", "Notification de décision d'AG"),
        ("tilleuls-18", "Convocation AG extraordinaire"),
        ("tilleuls-19", "Notification de travaux"),
        ("tilleuls-20", "Mise en demeure — charges impayées"),
        ("tilleuls-21", "Notification de décision d'AG"),
    ],
    start=1,
):
    EVENTS.append(
        ev(
            f"ev-lr-{i:02d}",
            "tilleuls",
            "convocation-ag",
            f"{title} — lot {30 + i + 12}",
            [[pk, "event_party"]],
            20 + i,
            state="registered",
            chrono_seq=80 + i,
        )
    )
SIGNED_SOURCES = [
    (f"ev-sig-{i:02d}", t)
    for i, t in enumerate(
        [
            "Bail d'habitation — lot 2",
            "Bail d'habitation — lot 9",
            "Mandat de gestion — lot 15",
            "Avenant au bail — lot 18",
            "Bail d'habitation — lot 21",
            "Mandat de gestion — lot 26",
            "Bail d'habitation — lot 28",
            "Mandat de gestion — lot 31",
            "Bail d'habitation — lot 33",
            "Avenant — lot 35",
        ],
        start=1,
    )
]
for i, (key, title) in enumerate(SIGNED_SOURCES, start=1):
    EVENTS.append(
        ev(
            key,
            "tilleuls" if i % 2 else "garnier",
            "bail-simple" if "Bail" in title else "mandat-prop",
            title,
            [[f"tilleuls-{21 + (i % 8):02d}", "tenant" if "Bail" in title else "owner"]],
            5 + 3 * i,
            state="signature",
            chrono_seq=60 + i,
        )
    )

# Signature files in every status: (event, status, days since sending, extra)
SIGNATURES = [
    ("ev-sig-01", "draft", None, {}),
    ("ev-sig-02", "draft", None, {}),
    ("ev-sig-03", "pending", 2, {}),
    ("ev-sig-04", "pending", 6, {}),
    ("ev-sig-05", "pending", 13, {"expires_in_days": 2}),
    ("ev-sig-06", "signed", 9, {}),
    ("ev-sig-07", "signed", 12, {}),
    ("ev-sig-08", "signed", 20, {}),
    ("ev-sig-09", "signed", 40, {}),
    (
        "ev-sig-10",
        "declined",
        8,
        {"reason": "Le montant du dépôt de garantie ne correspond pas à ce qui était convenu."},
    ),
    ("ev-mandat-sci", "cancelled", 15, {"reason": "Mandat remplacé par une nouvelle version."}),
    ("ev-avenant-roux", "expired", 35, {}),
    (
        "ev-bail-4",
        "error",
        1,
        {"reason": "Numéro de mobile refusé par le prestataire : « 04 72 33 44 55 » est un fixe."},
    ),
]

# Letters: (event, status, kind, days since deposit)
LETTERS = [(f"ev-ag-tilleuls-{i:02d}", "to_valid", "eidas", 0) for i in range(1, 13)]
LETTERS += [
    ("ev-lr-01", "AR", "eidas", 12),
    ("ev-lr-02", "AR", "eidas", 18),
    ("ev-lr-03", "AR", "simple", 25),
    ("ev-lr-04", "refused", "eidas", 20),
    ("ev-lr-05", "negligence", "eidas", 17),
    ("ev-lr-06", "bounced", "eidas", 9),
    ("ev-lr-07", "waiting", "eidas", 3),
    ("ev-lr-08", "sent", "eidas", 5),
    ("ev-lr-09", "sent", "paper", 4),
]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    data = {
        "users": USERS,
        "administration": ADMINISTRATION,
        "entities": ENTITIES,
        "parties": PARTIES,
        "templates": TEMPLATES,
        "events": EVENTS,
        "signature_requests": [{"event": e, "status": s, "days_ago": d, **x} for e, s, d, x in SIGNATURES],
        "letters": [{"event": e, "status": s, "kind": k, "days_ago": d} for e, s, k, d in LETTERS],
    }
    for name, value in data.items():
        (OUT / f"{name}.json").write_text(
            json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    print({k: len(v) for k, v in data.items()})


if __name__ == "__main__":
    main()
