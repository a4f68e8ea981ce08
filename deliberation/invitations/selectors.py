"""Reads of invitations: a process's list for its facilitators, and the one a link names."""

from django.db.models import QuerySet

from deliberation.invitations.models import Invitation
from deliberation.invitations.tokens import invitation_id_from_token
from deliberation.models import Process


def invitations_of(process: Process) -> QuerySet[Invitation]:
    """Every invitation of the process, newest first, with who invited and who accepted."""
    return (
        Invitation.objects.filter(process=process)
        .select_related("invited_by", "accepted_by")
        .order_by("-created_at", "-id")
    )


def invitation_get(process: Process, pk: int) -> Invitation | None:
    invitation = Invitation.objects.filter(process=process, pk=pk).first()
    if invitation is not None:
        invitation.process = process
    return invitation


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names, with its process and inviter; None for a forged token or
    one whose invitation does not exist."""
    pk = invitation_id_from_token(token)
    if pk is None:
        return None
    return Invitation.objects.select_related("process", "invited_by").filter(pk=pk).first()
