"""AR24's webhook calls (ar24.md §11): after each status change of a letter posted with `webhook=<url>`, a
form-urlencoded POST of `id_mail`, `new_state`, `proof_url` and the state's date, retried every 15 minutes
(48 attempts) until the receiver answers 200. No signature is documented: a receiver trusts AR24's source IP
and reads the letter again with `GET mail`."""

from __future__ import annotations

from typing import Any

from lsc_tui.sandbox.context import SandboxContext
from lsc_tui.sandbox.webhooks import AR24

# state → (the mail field holding its date, the proof it produces)
STATES = {
    "waiting": ("date", "dp"),
    "sent": ("ts_ev_date", "ev"),
    "AR": ("view_date", "ar"),
    "refused": ("refused_date", "rf"),
    "negligence": ("negligence_date", "ng"),
    "bounced": ("bounced_date", "bc"),
}


def announce(ctx: SandboxContext, mail: dict[str, Any], public: dict[str, Any]) -> None:
    """Queue the call for the letter's new state; `public` is the mail as the API shows it (proof links)."""
    url = mail.get("_webhook")
    state = str(mail["status"])
    if not url or state not in STATES:
        return
    date_field, proof = STATES[state]
    fields = {"id_mail": str(mail["id"]), "new_state": state}
    if public.get(f"proof_{proof}_url"):
        fields["proof_url"] = str(public[f"proof_{proof}_url"])
    if mail.get(date_field):
        fields[date_field] = str(mail[date_field])
    ctx.webhooks.emit_form("ar24", str(url), fields, f"{mail['id']}:{state}", AR24)
