"""Say who may read each audit event written before events carried it (record 0004).

The top floor does it because it knows every model an event can be about. The owner role runs
migrations, and lifts the append-only trigger for this one transaction: the columns it fills are
not part of any hash, so the chain verifies exactly as before.
"""

from collections.abc import Callable
from typing import Any

from django.db import migrations

USER_KEYS = ("user", "from", "to", "subject")
# (process id, people the object names, whether its round shows people by group only)
Found = tuple[int | None, set[int], bool]
NOTHING: Found = (None, set(), False)


def _finders(apps: Any) -> dict[str, Callable[[int], Found]]:
    """For each object label, how to find its process and the people it names from its id."""
    model = apps.get_model
    Round, Outcome = model("consensus", "Round"), model("consensus", "Outcome")  # noqa: N806
    Commitment = model("trust", "Commitment")  # noqa: N806

    def row(name: str, pk: int) -> Any:
        app, _, model_name = name.partition(".")
        return model(app, model_name).objects.filter(pk=pk).first()

    def of_round(round_id: int, people: set[int] | None = None) -> Found:
        found = Round.objects.filter(pk=round_id).first()
        if found is None:
            return NOTHING
        return found.process_id, people or set(), found.ballot_visibility == "group_only"

    def of_objection(pk: int) -> Found:
        objection = row("consensus.Objection", pk)
        return of_round(objection.round_id, {objection.objector_id}) if objection else NOTHING

    def of_outcome(pk: int) -> Found:
        outcome = Outcome.objects.filter(pk=pk).first()
        return (of_round(outcome.round_id)[0], set(), False) if outcome else NOTHING

    def of_challenge(pk: int) -> Found:
        challenge = row("consensus.Challenge", pk)
        if challenge is None:
            return NOTHING
        return of_outcome(challenge.outcome_id)[0], {challenge.author_id}, False

    def of_attestation(pk: int) -> Found:
        attestation = row("trust.Attestation", pk)
        if attestation is None:
            return NOTHING
        commitment = Commitment.objects.get(pk=attestation.commitment_id)
        return commitment.process_id, {commitment.author_id}, False

    def with_process(name: str) -> Callable[[int], Found]:
        def find(pk: int) -> Found:
            found = row(name, pk)
            return (found.process_id, set(), False) if found else NOTHING

        return find

    def naming(name: str, attribute: str) -> Callable[[int], Found]:
        def find(pk: int) -> Found:
            found = row(name, pk)
            return (None, {getattr(found, attribute)}, False) if found else NOTHING

        return find

    return {
        "deliberation.process": lambda pk: (pk, set(), False),
        "deliberation.issue": with_process("deliberation.Issue"),
        "consensus.round": of_round,
        "consensus.objection": of_objection,
        "consensus.outcome": of_outcome,
        "consensus.challenge": of_challenge,
        "consensus.supportrequest": with_process("consensus.SupportRequest"),
        "trust.commitment": with_process("trust.Commitment"),
        "trust.attestation": of_attestation,
        "trust.appeal": naming("trust.Appeal", "appellant_id"),
        "stakeholders.affiliation": naming("stakeholders.Affiliation", "user_id"),
        "stakeholders.user": lambda pk: (None, {pk}, False),
    }


def backfill(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("record", "AuditEvent")  # noqa: N806 - a model class
    finders = _finders(apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE record_auditevent DISABLE TRIGGER record_auditevent_append_only"
        )
        for event in AuditEvent.objects.order_by("seq").iterator():
            label, _, raw_pk = event.object.partition(":")
            find = finders.get(label)
            process, people, veiled = find(int(raw_pk)) if find and raw_pk.isdigit() else NOTHING
            data = event.data if isinstance(event.data, dict) else {}
            people = people | {
                value for key in USER_KEYS if isinstance(value := data.get(key), int)
            }
            if event.actor is not None:
                people.add(event.actor)
            AuditEvent.objects.filter(seq=event.seq).update(
                process=process, people=sorted(people), veiled=veiled
            )
        cursor.execute("ALTER TABLE record_auditevent ENABLE TRIGGER record_auditevent_append_only")


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0004_audit_disclosure"),
        ("consensus", "0003_balance_snapshots_and_support_requests"),
        ("deliberation", "0004_process_support_budget"),
        ("stakeholders", "0003_sessions_ended_at"),
        ("trust", "0002_moderation"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
