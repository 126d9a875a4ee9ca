"""Provider-neutral contracts and the typed errors every client raises.

Services only ever see these types, so a provider can be swapped (YouSign ↔ ESign) or pointed at the sandbox
without a service changing. Each error carries a French message for the screen and never a secret.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.statuses import LetterStatus, SignatureStatus


class ProviderError(ExplainedError):
    """Base of every provider failure. `message` is French, for a person; `detail` is the provider's own text."""

    message_fr = "Erreur du prestataire."

    def __init__(self, message: str | None = None, *, detail: str = "", provider: str = "") -> None:
        super().__init__(message or self.message_fr)
        self.detail = detail
        self.provider = provider

    def __str__(self) -> str:
        return self.message if not self.detail else f"{self.message} ({self.detail})"


class AuthError(ProviderError):
    message_fr = "Identifiants refusés par le prestataire : vérifiez la clé d'API ou le compte."


class RateLimited(ProviderError):
    message_fr = "Le prestataire limite le nombre de requêtes : nouvel essai dans quelques secondes."

    def __init__(self, message: str | None = None, *, retry_after: float | None = None, **kw: str) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    message_fr = "Le prestataire ne répond pas : rien n'a été perdu, réessayez plus tard."


class NotFound(ProviderError):
    message_fr = "Document introuvable chez le prestataire."


class Rejected(ProviderError):
    """The provider refused the request for a business reason (`reason` = its slug or field)."""

    message_fr = "Le prestataire a refusé la demande."

    def __init__(self, message: str | None = None, *, reason: str = "", **kw: str) -> None:
        super().__init__(message, **kw)
        self.reason = reason


class Unsupported(Rejected):
    """This provider (or this account's contract) does not offer what was asked; nothing was sent."""

    message_fr = "Ce prestataire ne propose pas cette action."


# ---- signatures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    """A visible signature box: PDF points, origin top-left, pages from 1 (YouSign v3 and ESign agree)."""

    page: int
    x: float
    y: float
    width: float = 85
    height: float = 37


@dataclass(frozen=True)
class SignerSpec:
    first_name: str
    last_name: str
    email: str
    phone: str | None = None  # E.164
    boxes: tuple[Box, ...] = ()
    email_code: bool = False  # confirms by an email code even with the SMS check (YouSign: per signer)


@dataclass(frozen=True)
class ReminderSettings:
    """Automatic reminders (MISSION S9), in YouSign's terms: every 1, 2, 7 or 14 days, 1 to 10 times."""

    interval_in_days: int
    max_occurrences: int

    INTERVALS = (1, 2, 7, 14)

    @property
    def valid(self) -> bool:
        return self.interval_in_days in self.INTERVALS and 1 <= self.max_occurrences <= 10


class CancelReason(StrEnum):
    """Why a pending request is cancelled: YouSign's enum (§5.7); free text goes in the note beside it."""

    ABORTED = "contractualization_aborted"
    ERRORS = "errors_in_document"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"contractualization_aborted": "Contractualisation abandonnée",
                "errors_in_document": "Erreurs dans le document", "other": "Autre motif"}[self.value]  # fmt: skip


@dataclass(frozen=True)
class SignatureOrder:
    """What we ask a provider to have signed. `reference` is our idempotency key (external_id / reference).
    `sms_check` False is the template's "Empêcher la validation par SMS" (T3): signers confirm by an email
    code only. `expires_on`, when given, wins over `expires_in_days`."""

    reference: str
    title: str
    pdf: bytes
    filename: str
    signers: tuple[SignerSpec, ...]
    sms_check: bool = True
    expires_in_days: int = 15
    expires_on: date | None = None
    email_note: str = ""  # a line added to the invitation email (YouSign's email_custom_note, ≤ 500)
    reminders: ReminderSettings | None = None
    delivery_mode: str = "email"
    """`none`: signed in person (S11) — the provider emails nobody and hands back each signer's link, which
    the user shows on their own screen; only providers with the `in_person` capability take it."""
    first_attempt: bool = False
    """No earlier attempt can exist for `reference` (the caller never sent it): the look-up before creating is
    skipped on the first round. Any retry looks up, so a lost answer never makes a second request."""


@dataclass(frozen=True)
class RemoteSigner:
    remote_id: str
    email: str
    status: str  # provider's own word, for display
    signed_at: datetime | None = None
    signature_link: str = field(default="", repr=False)
    """In person only (`delivery_mode: none`): whoever holds it signs, so it is shown to the user once and
    never stored, logged nor printed in a repr."""


@dataclass(frozen=True)
class RemoteSignature:
    remote_id: str
    status: SignatureStatus
    reference: str = ""
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    reason: str = ""  # decline / cancel reason
    signers: tuple[RemoteSigner, ...] = ()


@dataclass(frozen=True)
class AccountInfo:
    name: str
    detail: str = ""


OnChange = Callable[["RemoteSignature"], None]
"""Told of each change as soon as its listing page (or its own read) arrives, before the listing ends: a sync
starts downloading a signed PDF while the next page is on its way."""


class SignatureProvider(Protocol):
    """YouSign and ESign for the services. `capabilities` says which optional parts a provider offers
    (`email_note`, `reminders`, `reactivate`, `webhooks`, `in_person`); asking for another raises `Unsupported`."""

    name: str
    capabilities: frozenset[str]

    async def test_access(self) -> AccountInfo: ...

    async def send(self, order: SignatureOrder) -> RemoteSignature: ...

    async def status(self, remote_id: str) -> RemoteSignature: ...

    async def changes(
        self, cursor: str | None, *, watch: Collection[str] = (), on_change: OnChange | None = None
    ) -> tuple[list[RemoteSignature], str]: ...

    async def changed_since(self, since: datetime | None) -> list[RemoteSignature]: ...

    async def cancel(
        self, remote_id: str, reason: CancelReason | str = CancelReason.OTHER, custom_note: str = ""
    ) -> RemoteSignature: ...

    async def remind(self, remote_id: str) -> tuple[str, ...]:
        """Remind now the signers still waiting; the ids of those reminded (empty: the provider does not say)."""
        ...

    async def signing_links(self, remote_id: str) -> tuple[RemoteSigner, ...]:
        """The signers still to sign with their link (in person); `Unsupported` without `in_person`."""
        ...

    async def reactivate(self, remote_id: str, expiration_date: date) -> RemoteSignature: ...

    async def signed_pdf(self, remote_id: str) -> bytes: ...

    async def proof(self, remote_id: str) -> bytes: ...

    async def aclose(self) -> None: ...


# ---- registered letters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    is_professional: bool = False
    address1: str = ""
    address2: str = ""
    zipcode: str = ""
    city: str = ""
    country: str = "FR"


@dataclass(frozen=True)
class LetterOrder:
    """One registered letter. kind: 'eidas' (qualified LRE), 'simple' (Avis électronique), 'paper'."""

    reference: str  # our idempotency key, sent as AR24's ref_dossier / custom reference
    kind: str
    recipient: Recipient
    pdf: bytes
    filename: str
    subject: str = ""
    content: str = ""
    payment_method_id: str | None = None
    color: bool = False
    duplex: bool = False


@dataclass(frozen=True)
class RemoteLetter:
    remote_id: str
    status: LetterStatus
    reference: str = ""
    recipient_email: str = ""
    created_at: datetime | None = None
    deposit_date: datetime | None = None
    sending_date: datetime | None = None
    ar_date: datetime | None = None
    refused_date: datetime | None = None
    negligence_date: datetime | None = None
    bounced_date: datetime | None = None
    proof_urls: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteConsent:
    email: str
    status: str  # accepted | refused | waiting
    date: datetime | None = None
    proof_url: str = ""
    first_name: str = ""
    last_name: str = ""
    link: str = ""
    """Where this recipient gives or refuses consent (our sandbox's §15 answer; empty when not given)."""


@dataclass(frozen=True)
class PaymentMethod:
    remote_id: str
    label: str
    kind: str


@dataclass(frozen=True)
class LetterUser:
    remote_id: str
    email: str
    first_name: str = ""
    last_name: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class OtpSession:
    """AR24's 1-hour hash from one typed TOTP: validates a whole batch without typing again. For that hour it
    is as good as the sender's OTP key, so its repr never shows it."""

    hash: str = field(repr=False)
    expires_at: datetime


@dataclass(frozen=True)
class ValidationResult:
    remote_id: str
    ok: bool
    status: LetterStatus | None = None
    error: str = ""


class LetterProvider(Protocol):
    """Registered letters (AR24). Sending is `upload` when a letter is prepared, then `send_once` (documented
    path: with the hash of one `auth_otp`; queue path: `queue=True`, then `validate`)."""

    name: str
    supports_paper: bool

    async def test_access(self, user_id: str) -> LetterUser: ...

    async def user_by_email(self, email: str) -> LetterUser: ...

    async def request_access(self, email: str) -> None: ...

    async def consents(self, user_id: str) -> list[RemoteConsent]: ...

    async def request_consent(
        self, user_id: str, recipient: Recipient, delay_days: int = 15
    ) -> RemoteConsent: ...

    async def payment_methods(self, user_id: str) -> list[PaymentMethod]: ...

    async def upload(self, user_id: str, filename: str, pdf: bytes) -> str: ...

    async def send_mail(
        self,
        user_id: str,
        order: LetterOrder,
        attachment_ids: Sequence[str],
        *,
        auth_otp_hash: str | None = None,
        queue: bool = False,
        webhook: str | None = None,
    ) -> RemoteLetter: ...

    async def find_by_reference(
        self, user_id: str, reference: str, *, since: datetime | None = None
    ) -> RemoteLetter | None: ...

    async def send_once(
        self,
        user_id: str,
        order: LetterOrder,
        attachment_ids: Sequence[str],
        *,
        auth_otp_hash: str | None = None,
        queue: bool = False,
        webhook: str | None = None,
        check_first: bool = False,
        since: datetime | None = None,
    ) -> RemoteLetter: ...

    async def send(self, user_id: str, order: LetterOrder, *, webhook: str | None = None) -> RemoteLetter: ...

    async def auth_otp(self, user_id: str, otp: str) -> OtpSession: ...

    async def validate(
        self, user_id: str, letter_ids: list[str], session: OtpSession
    ) -> list[ValidationResult]: ...

    async def letter(self, letter_id: str) -> RemoteLetter: ...

    async def letters(self, user_id: str, letter_ids: list[str] | None = None) -> list[RemoteLetter]: ...

    async def proof(self, url: str) -> bytes: ...

    async def aclose(self) -> None: ...
