"""The Celery beat schedule: every periodic task, its name and when it runs (read by settings)."""

from datetime import timedelta
from typing import Any

import environ
from celery.schedules import crontab


def beat_schedule(env: environ.Env, round_sweep_seconds: int) -> dict[str, dict[str, Any]]:
    """The schedule, with the periods the environment sets (one test checks every name is a
    registered task)."""
    return {
        "close-due-rounds": {
            "task": "consensus.close_due_rounds",
            "schedule": timedelta(seconds=round_sweep_seconds),
        },
        "send-round-reminders": {
            "task": "consensus.send_round_reminders",
            "schedule": timedelta(minutes=env.int("ROUND_REMINDER_SWEEP_MINUTES", default=10)),
        },
        "compute-outcomes": {
            "task": "consensus.compute_outcomes",
            "schedule": timedelta(seconds=round_sweep_seconds),
        },
        "verify-audit-chain": {
            "task": "record.verify_audit_chain",
            "schedule": crontab(minute=17, hour="*/6"),
        },
        "publish-audit-chain-head": {
            "task": "record.publish_chain_head",
            "schedule": crontab(minute=5, hour=env.int("WITNESS_HOUR", default=0)),
        },
        "send-pending-notification-mail": {
            "task": "stakeholders.send_pending_notification_mail",
            "schedule": timedelta(minutes=env.int("NOTIFICATION_MAIL_SWEEP_MINUTES", default=5)),
        },
        "compute-trust": {
            "task": "trust.compute_trust",
            "schedule": crontab(minute=0, hour=env.int("TRUST_RECOMPUTE_HOUR", default=3)),
        },
        "compute-signals": {
            "task": "trust.compute_signals",
            "schedule": crontab(minute=30, hour=f"*/{env.int('SIGNALS_COMPUTE_HOURS', default=6)}"),
        },
        "prune-trust-history": {
            "task": "trust.prune_trust_history",
            "schedule": crontab(minute=45, hour=env.int("TRUST_RECOMPUTE_HOUR", default=3)),
        },
        "invite-commitment-attesters": {
            "task": "trust.invite_commitment_attesters",
            "schedule": crontab(minute=7),
        },
        "send-pending-invitations": {
            "task": "deliberation.send_pending_invitations",
            "schedule": timedelta(minutes=env.int("NOTIFICATION_MAIL_SWEEP_MINUTES", default=5)),
        },
        "send-digests": {
            "task": "stakeholders.send_digests",
            "schedule": crontab(minute=11),
        },
        "refresh-open-data": {
            "task": "deliberation.refresh_open_data",
            "schedule": crontab(minute=23),
        },
        "prune-idempotency-keys": {
            "task": "consensus.prune_idempotency_keys",
            "schedule": crontab(minute=41),
        },
        "retry-inbound-mail": {
            "task": "stakeholders.retry_inbound_messages",
            "schedule": timedelta(minutes=env.int("INBOUND_SWEEP_MINUTES", default=5)),
        },
        "compute-stale-opinion-maps": {
            "task": "consensus.compute_stale_opinion_maps",
            "schedule": timedelta(seconds=env.int("OPINION_SWEEP_SECONDS", default=60)),
        },
        "snapshot-balance": {
            "task": "consensus.snapshot_open_processes",
            "schedule": timedelta(minutes=env.int("BALANCE_SNAPSHOT_MINUTES", default=15)),
        },
    }
