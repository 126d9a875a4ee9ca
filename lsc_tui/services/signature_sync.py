"""« Récupérer les signatures du nuage » (S7, X3): what changed at the provider, applied to our files.

Webhooks bring changes first (services/signature_webhooks.py); this is the fallback and the F5 of the
Signatures list: one listing of what changed since the last sync (`changes(cursor)`: YouSign's filters and
cursor, pages of 100, within its quota), not one call per pending file. Both paths end here, in
`apply_changes`, so a change heard twice (a webhook then a sync) is applied once: a file already in the status
reported is left alone, and a second sync changes nothing.

A signed file gets its PDF kept byte for byte beside the store with its hash, the provider's id, the reception
date, status 2, and a return event (événement retour) made with the historisation template (C2), linked both
ways; the original event is marked « Retour classé ». A declined file keeps the signer's reason (YouSign lists
no reason: the client reads the declined request itself). The cursor is saved only when every change was
applied, so a PDF that could not be downloaded is asked for again by the next sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lsc_tui.documents.archive import StoredFile, store_file
from lsc_tui.domain.errors import ExplainedError
from lsc_tui.domain.models import Event, SignatureRequest
from lsc_tui.domain.statuses import SIGNATURE_TRANSITIONS, SignatureStatus
from lsc_tui.providers.base import RemoteSignature, SignatureProvider
from lsc_tui.services import deliveries, signature_settings
from lsc_tui.services.context import AppContext
from lsc_tui.store import ANY_REV
from lsc_tui.store.repositories import Repos

CURSORS = "signature_sync"
"""Settings section: the last cursor of each provider."""
ARCHIVE = "signed"
DOWNLOADS = 8


@dataclass(frozen=True)
class Change:
    request_id: str
    title: str
    before: SignatureStatus
    after: SignatureStatus
    detail: str = ""

    @property
    def line(self) -> str:
        return f"{self.after.label:<18} {self.title}" + (f" — {self.detail}" if self.detail else "")


@dataclass
class SyncReport:
    changes: list[Change] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Remote ids the provider reported that are not ours (sent from its web app, or by another tool)."""
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.changes and not self.errors:
            return "Signatures à jour : rien n'a changé chez le prestataire."
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.after.label] = counts.get(change.after.label, 0) + 1
        detail = ", ".join(f"{n} {label.lower()}" for label, n in counts.items())
        plural = "s" if len(self.changes) > 1 else ""
        text = f"{len(self.changes)} fiche{plural} mise{plural} à jour" + (f" ({detail})" if detail else "")
        if self.errors:
            text += f" ; {len(self.errors)} en erreur : {self.errors[0]}"
        return text + "."


@dataclass
class _Step:
    """One remote change matched to our file: what to do, and the signed PDF once downloaded."""

    request: SignatureRequest
    remote: RemoteSignature
    stored: StoredFile | None = None


async def sync(ctx: AppContext) -> SyncReport:
    """Ask every provider that has our files waiting (and the active one) what changed, and apply it."""
    names = await asyncio.to_thread(_providers_to_ask, ctx)
    report = SyncReport()
    for name in names:
        client = signature_settings.client_for(ctx, name)
        if client is None:
            report.errors.append(
                f"{signature_settings.PROVIDERS[name]} n'est plus configuré : ses fiches attendent."
            )
            continue
        cursor, waiting = await asyncio.to_thread(_cursor_and_watch, ctx, name)
        early = _EarlyDownloads(ctx, client, waiting)
        try:
            changed, following = await client.changes(cursor, watch=list(waiting), on_change=early.start)
        except BaseException:
            await early.drop()
            raise
        part = await apply_changes(ctx, name, client, changed, early=early.started)
        report.changes += part.changes
        report.unknown += part.unknown
        report.errors += part.errors
        if not part.errors:
            await asyncio.to_thread(_save_cursor, ctx, name, following)
    return report


def _providers_to_ask(ctx: AppContext) -> list[str]:
    active = signature_settings.provider_name(ctx)
    waited = ctx.repos.signatures.providers_waited_on() & set(signature_settings.PROVIDERS)
    return [active, *sorted(waited - {active})]


def _cursor_and_watch(ctx: AppContext, name: str) -> tuple[str | None, dict[str, str]]:
    """The last cursor, and our waiting files at `name`: their reference by provider id."""
    cursor = ctx.repos.settings.section(CURSORS).get(name)
    return (str(cursor) if cursor else None), ctx.repos.signatures.pending_references(name)


class _EarlyDownloads:
    """A signed PDF of one of our waiting files is downloaded as soon as the listing page that reports it
    arrives, while the next page is on its way (the listing's cursor makes pages one after the other)."""

    def __init__(self, ctx: AppContext, client: SignatureProvider, waiting: dict[str, str]) -> None:
        self.ctx, self.client, self.waiting = ctx, client, waiting
        self.started: dict[str, asyncio.Task[StoredFile]] = {}
        self.gate = asyncio.Semaphore(DOWNLOADS)

    def start(self, remote: RemoteSignature) -> None:
        reference = self.waiting.get(remote.remote_id)
        if remote.status is SignatureStatus.SIGNED and reference and remote.remote_id not in self.started:
            self.started[remote.remote_id] = asyncio.ensure_future(self._fetch(remote.remote_id, reference))

    async def _fetch(self, remote_id: str, reference: str) -> StoredFile:
        async with self.gate:
            data = await self.client.signed_pdf(remote_id)
            return await asyncio.to_thread(store_file, self.ctx.data_dir, ARCHIVE, f"{reference}-signe", data)

    async def drop(self) -> None:
        for task in self.started.values():
            task.cancel()
        await asyncio.gather(*self.started.values(), return_exceptions=True)


def _save_cursor(ctx: AppContext, name: str, cursor: str) -> None:
    with ctx.write() as w:
        section = w.settings.section(CURSORS)
        w.settings.put(CURSORS, {name: cursor}, expect_rev=section.get("_rev"))


# ---- applying changes (sync and webhooks) --------------------------------------------------------------


OnCommit = Callable[[Repos, list[Change], set[str]], None]
"""Called inside the transaction with the changes made and the remote ids left for later (PDF not received)."""


async def apply_changes(
    ctx: AppContext,
    provider: str,
    client: SignatureProvider,
    remotes: Sequence[RemoteSignature],
    on_commit: OnCommit | None = None,
    *,
    early: dict[str, asyncio.Task[StoredFile]] | None = None,
) -> SyncReport:
    """Apply what the provider says of each request. `on_commit` runs in the same transaction (the webhook
    receiver marks its events applied there: the change and the mark commit together). `early`: signed PDFs
    whose download the sync started while listing, by provider id."""
    steps, report = await asyncio.to_thread(_match, ctx, provider, remotes)
    gate = asyncio.Semaphore(DOWNLOADS)
    started = dict(early or {})

    async def download(step: _Step) -> StoredFile:
        async with gate:
            data = await client.signed_pdf(step.remote.remote_id)
            name = f"{step.request.reference}-signe"
            return await asyncio.to_thread(store_file, ctx.data_dir, ARCHIVE, name, data)

    async def fetch(step: _Step) -> None:
        try:
            early_one = started.pop(step.remote.remote_id, None)
            step.stored = await (early_one if early_one is not None else download(step))
        except ExplainedError as exc:
            report.errors.append(f"{step.request.title} : PDF signé non reçu ({exc.message})")

    await asyncio.gather(*(fetch(s) for s in steps if s.remote.status is SignatureStatus.SIGNED))
    await asyncio.gather(*started.values(), return_exceptions=True)  # not matched after all: kept unused
    ready = [s for s in steps if s.remote.status is not SignatureStatus.SIGNED or s.stored is not None]
    failed = {s.remote.remote_id for s in steps} - {s.remote.remote_id for s in ready}
    report.changes += await asyncio.to_thread(_apply, ctx, ready, on_commit, failed)
    return report


def _match(
    ctx: AppContext, provider: str, remotes: Sequence[RemoteSignature]
) -> tuple[list[_Step], SyncReport]:
    report = SyncReport()
    steps: list[_Step] = []
    repo = ctx.repos.signatures
    by_id = repo.by_remote_ids({r.remote_id for r in remotes if r.remote_id})
    missing = {r.reference for r in remotes if r.reference and r.remote_id not in by_id}
    by_reference = {k: v for k, v in repo.by_references(missing).items() if v.provider == provider}
    for remote in remotes:
        request = by_id.get(remote.remote_id) or by_reference.get(remote.reference)
        if request is None:
            report.unknown.append(remote.remote_id)
        elif _path(request.status, remote.status):
            steps.append(_Step(request, remote))
    return steps, report


def _path(current: SignatureStatus, target: SignatureStatus) -> list[SignatureStatus]:
    """The statuses to go through from `current` to `target` (empty: nothing to do)."""
    if current == target or current.is_final:
        return []
    if target in SIGNATURE_TRANSITIONS[current]:
        return [target]
    if (
        SignatureStatus.PENDING in SIGNATURE_TRANSITIONS[current]
        and target in SIGNATURE_TRANSITIONS[SignatureStatus.PENDING]
    ):
        return [SignatureStatus.PENDING, target]  # a file left « Envoi en cours » whose request went on
    return []


def _apply(ctx: AppContext, steps: list[_Step], on_commit: OnCommit | None, failed: set[str]) -> list[Change]:
    changes: list[Change] = []
    with ctx.write() as w:
        for step in steps:
            current = w.signatures.require(
                step.request.id
            )  # as it is now: a webhook may have got there first
            path = _path(current.status, step.remote.status)
            if not path:
                continue
            fields = _fields(ctx, current, step)
            for status in path:
                w.signatures.set_status(current.id, status, expect_rev=ANY_REV, **fields)
            if step.remote.status is SignatureStatus.SIGNED and step.stored is not None:
                _file_return_event(ctx, w, current)
                deliveries.record_confirmations(ctx, w, w.signatures.require(current.id))
            detail = _detail(step)
            ctx.audit(
                w, f"signature.{step.remote.status.value}", w.signatures, current.id, step.remote.remote_id
            )
            changes.append(Change(current.id, current.title, current.status, step.remote.status, detail))
        if on_commit is not None:
            on_commit(w, changes, failed)
    return changes


def _fields(ctx: AppContext, current: SignatureRequest, step: _Step) -> dict[str, object]:
    remote = step.remote
    statuses = {s.remote_id: s.status for s in remote.signers}
    fields: dict[str, object] = {
        "remote_id": remote.remote_id,
        "signers": [
            s.evolve(status=statuses.get(s.remote_id, s.status)).to_record() for s in current.signers
        ],
    }
    if not current.sent_at:  # a file left « Envoi en cours » by a crash: the provider's word dates it
        fields["sent_at"] = ctx.now_iso()
    if remote.status is SignatureStatus.SIGNED and step.stored is not None:
        now = ctx.now_iso()
        fields.update(
            signed_pdf_path=step.stored.path,
            signed_sha256=step.stored.sha256,
            received_at=now,
            signed_at=remote.completed_at.isoformat(timespec="seconds") if remote.completed_at else now,
        )
    elif remote.reason or remote.status in {SignatureStatus.DECLINED, SignatureStatus.ERROR}:
        fields["reason"] = remote.reason
    return fields


def _detail(step: _Step) -> str:
    if step.stored is not None:
        return f"PDF signé reçu (SHA-256 {step.stored.sha256[:12]}…), événement retour classé"
    return step.remote.reason


def _file_return_event(ctx: AppContext, w: Repos, request: SignatureRequest) -> None:
    """The événement retour: made with the historisation template, the signed PDF as its attachment."""
    template = w.templates.historisation()
    if template is None or not request.event_id:  # a file made from a party's form has no event to file on
        return
    signed = w.signatures.require(request.id)
    original = w.events.get(request.event_id)
    returned = w.events.insert(
        Event(
            entity_id=request.entity_id,
            template_id=template.id,
            title=f"Retour signé — {request.title}",
            created_at=ctx.now_iso(),
            parties=original.parties if original else (),
            attachments=(f"documents/{signed.signed_pdf_path}",),
            state="filed",
            lot=original.lot if original else "",
            entity_name=request.entity_name,
            template_name=template.name,
            party_names=original.party_names if original else (),
            signature_request_id=request.id,
        )
    )
    w.signatures.change(request.id, {"return_event_id": returned.id}, expect_rev=ANY_REV)
    if original is not None:
        w.events.set_state(original.id, "filed", expect_rev=ANY_REV)
    ctx.audit(w, "evenement.retour", w.events, returned.id, request.id)
