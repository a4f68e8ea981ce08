"""The public record in words for people: what happened, to what (raw fields stay in the API)."""

from django.utils.translation import gettext_lazy as _

PHRASES = {
    "affiliation.verify": _("An admin verified a hat"),
    "attestation.give": _("Someone said whether a commitment was kept"),
    "ballot.exclude": _("A facilitator excluded a ballot from the count, with a public reason"),
    "challenge.answer": _("A facilitator answered a challenge"),
    "challenge.create": _("A participant challenged a declared outcome"),
    "commitment.create": _("Someone made a commitment"),
    "endorsement.create": _("Someone endorsed a stakeholder"),
    "endorsement.withdraw": _("Someone withdrew an endorsement"),
    "invitation.accept": _("Someone joined a process by invitation"),
    "invitation.create": _("A facilitator invited people to a process"),
    "invitation.revoke": _("A facilitator withdrew an invitation"),
    "issue.open": _("An issue was reopened"),
    "issue.closed": _("An issue was closed"),
    "moderation.action": _("An admin took a moderation action"),
    "moderation.confirm": _("A second admin confirmed a ban"),
    "moderation.appeal": _("A moderation decision was appealed"),
    "moderation.appeal_decide": _("An appeal was decided"),
    "objection.open": _("An objection was raised"),
    "objection.addressed": _("An objection was answered in writing"),
    "objection.accommodated": _("An objection was accommodated in a later version"),
    "objection.withdrawn": _("An objection was withdrawn"),
    "objection.acknowledge": _("A facilitator let a restricted participant's objection count"),
    "outcome.compute": _("The platform computed a round's outcome"),
    "outcome.recompute": _("The outcome was recomputed after the objection register changed"),
    "outcome.declare": _("A facilitator declared a round's outcome"),
    "process.archive": _("A process was archived"),
    "process.create": _("A process was created"),
    "process.facilitator_add": _("A facilitator was added to a process"),
    "process.update": _("A process's settings were changed"),
    "round.close": _("A consensus round closed"),
    "round.create": _("A consensus round was drafted"),
    "round.extend": _("A round's deadline was extended"),
    "round.open": _("A consensus round opened"),
    "signals.compute": _("The signals of bad faith were computed"),
    "support.grant": _("A participation support request was granted"),
    "support.decline": _("A participation support request was declined"),
    "trust.recompute": _("Trust was recomputed"),
}


def phrase(action: str) -> str:
    """The sentence for an action; an action without one is shown as it is recorded."""
    found = PHRASES.get(action)
    return str(found) if found is not None else action


def object_label(obj: str) -> tuple[str, str, int] | None:
    """'consensus.round:3' → ('consensus', 'round', 3); None for anything else."""
    label, _sep, pk = obj.partition(":")
    app, _dot, model = label.partition(".")
    if not (app and model and pk.isdigit()):
        return None
    return app, model, int(pk)
