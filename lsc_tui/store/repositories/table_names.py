"""The tables' names, apart from their repositories: what a screen's list watches (services/session.py) is known
without importing a repository and the models it maps, which the start to Accueil's first frame does not need.
Each repository's `SPEC` takes its name from here."""

AR24_ACCOUNTS = "ar24_accounts"
AUDIT = "audit"
CONSENTS = "consents"
DELIVERIES = "deliveries"
ENTITIES = "entities"
EVENTS = "events"
LETTERS = "letters"
PARTIES = "parties"
PARTY_DOCUMENTS = "party_documents"
PREFERENCES = "preferences"
SETTINGS = "settings"
SIGNATURES = "signature_requests"
TEMPLATES = "templates"
USERS = "users"
WEBHOOK_EVENTS = "webhook_events"
