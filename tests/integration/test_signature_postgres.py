"""The signature workflow on the PostgreSQL store: the same services and repositories as on the embedded one
(Expédier, Envoyer, the sync with its return event, a webhook replayed), the files kept in the data folder."""

from __future__ import annotations

from pathlib import Path

from lsc_tui.config import secrets_for
from lsc_tui.domain.statuses import SignatureStatus
from lsc_tui.providers.factory import build_providers
from lsc_tui.services import signature_prepare, signature_send, signature_sync, signature_webhooks
from lsc_tui.services.batches import Collector
from lsc_tui.services.demo import seed
from lsc_tui.store import open_store
from lsc_tui.store.repositories.webhook_events import ReceivedEvent
from tests.conftest import ServedSandbox
from tests.fixtures import FIXED_NOW, context
from tests.integration.signature_flow_kit import make_events
from tests.integration.signature_kit import FAST, control, yousign_key


async def test_expedite_send_sync_and_a_replayed_webhook_on_postgresql(
    pg_url: str, tmp_path: Path, sandbox: ServedSandbox
) -> None:
    store = open_store(pg_url, create=True)
    seed(store, FIXED_NOW)
    ctx = context(store, data_dir=tmp_path)
    secrets = {"yousign": {"api_key": yousign_key(sandbox.accounts), "base_url": sandbox.yousign_url}}
    secrets_for(tmp_path).write(secrets)
    ctx.providers = build_providers(secrets, policy=FAST)
    try:
        ids = signature_prepare.expedite(ctx, make_events(ctx, 3)).ids
        assert (await signature_send.send_requests(ctx, ids, Collector())).all_ok
        signed = ctx.repos.signatures.require(ids[0])
        for signer in signed.signers:
            control(sandbox.base_url, f"/yousign/_sandbox/signature_requests/{signed.remote_id}/signers/"
                    f"{signer.remote_id}/sign")  # fmt: skip
        report = await signature_sync.sync(ctx)
        assert [(c.request_id, c.after) for c in report.changes] == [(ids[0], SignatureStatus.SIGNED)]
        assert ctx.repos.events.require(ctx.repos.signatures.require(ids[0]).return_event_id).state == "filed"
        assert (await signature_sync.sync(ctx)).changes == []
        event = ReceivedEvent("yousign", "evt-pg-1", "signature_request.done", ctx.now_iso(), signed.remote_id,
                              signed.reference, SignatureStatus.SIGNED.value)  # fmt: skip
        for _ in range(2):  # the second delivery of the same event is only recorded once
            await signature_webhooks.apply_received(ctx, [event])
        assert ctx.repos.webhook_events.require("yousign:evt-pg-1").outcome == "déjà à jour"
        assert ctx.repos.webhook_events.count() == 1
    finally:
        await ctx.providers.aclose()
        store.close()
