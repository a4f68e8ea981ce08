"""The authorization matrix: every mutating route, web and API — discovered from the URL resolver
and the OpenAPI schema, so a new one is covered the day it is added — asked by nine kinds of
people, each answer compared with one table. A route missing from the table fails the test.

Outcomes: `ok` (done), `login` (a page sends an anonymous visitor to sign in), `mfa` (a page sends
staff to set up two-factor first), `401`, `403`, `404`, `400` (refused as bad input or against the
rules of the process: 400, 409, 422, a form shown again or an error message).
"""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import messages
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from consensus.mail_ballots import confirmation_token
from consensus.models import EmailBallot
from deliberation.invitations.tokens import invitation_token
from stakeholders.inbound.models import InboundMessage
from stakeholders.subscriptions.services import unsubscribe_token
from tests.factories import PASSWORD
from tests.support.world import ROLES, World, build_world

MUTATING = ("post", "put", "patch", "delete")
Body = dict[str, Any] | Callable[[World, str], dict[str, Any]]

# --- what is asked: for each route, the address and a valid body -------------------------------


def _soon() -> str:
    return (timezone.now() + timedelta(days=3)).isoformat()


def _month() -> str:
    return (timezone.now() + timedelta(days=30)).isoformat()


def _later() -> str:
    return (timezone.localdate() + timedelta(days=30)).isoformat()


def _own_hat(world: World, role: str) -> dict[str, Any]:
    hat = world.hats.get(role)
    return {"affiliation": hat.pk if hat else ""}


def _inbound_message() -> InboundMessage:
    raw = b"From: a@example.org\r\nTo: x@localhost\r\n\r\nHi\r\n"
    return InboundMessage.objects.create(
        raw=raw, size=len(raw), source="smtp", envelope_from="a@example.org"
    )


def _email_ballot_token(world: World) -> str:
    """A pending ballot e-mailed by the member (made inside the request's savepoint)."""
    pending = EmailBallot.objects.create(
        round=world.open_round,
        user=world.people["member"],
        position="support",
        inbound=_inbound_message(),
    )
    return confirmation_token(pending)


def _decision_url(decision: str) -> Callable[[World], str]:
    def url(w: World) -> str:
        objection = w.unacknowledged if decision == "acknowledge" else w.objection
        return (
            f"/processes/{w.process.slug}/rounds/{w.open_round.pk}/objections/"
            f"{objection.pk}/{decision}/"
        )

    return url


def _decision_body(w: World, role: str) -> dict[str, Any]:
    """What the objection register's forms post, whichever decision it is."""
    return {
        f"carried-{w.objection.pk}-resolved": "1",
        f"address-{w.objection.pk}-reason": "Considered at the meeting",
        f"accommodate-{w.objection.pk}-reason": "Version three says it",
        f"accommodate-{w.objection.pk}-version": w.third_version.pk,
    }


def _poll(world: World) -> Any:
    return world.extra["poll"]


def _statement(world: World) -> Any:
    return world.extra["statement"]


def _pending(world: World) -> Any:
    return world.extra["pending"]


def _invitation(world: World) -> Any:
    return world.extra["invitation"]


HAT = {"organisation": "New org", "stakeholder_group": "academia", "role": "Member"}
PROCESS_FORM = {
    "title": "Edited",
    "description": "About",
    "expected_groups": ["academia", "government"],
    "visibility": "public",
    "status": "open",
    "quorum_per_group": 1,
    "group_support_min": "0.6",
    "minority_max_share": "0.2",
    "strong_support_mean": "0.6",
    "challenge_days": 7,
    "support_budget": "10000",
}
GLOSSARY_FORM = {"term": "Zettabyte stewardship", "aliases": "", "definition_en": "Care"}

# key → (url, body). A key is "METHOD /path/{param}/", as the schema or the resolver names the
# route; a route that does several things by a path segment has one key per thing, after a space.
SPECS: dict[str, tuple[Callable[[World], str], Body]] = {
    # The API, as its schema names it.
    "POST /api/v1/auth/token/": (
        lambda w: "/api/v1/auth/token/",
        lambda w, role: {
            "email": w.people[role].email if role in w.people else w.people["stakeholder"].email,
            "password": PASSWORD if role in w.people else "wrong",
        },
    ),
    "PATCH /api/v1/stakeholders/me/": (lambda w: "/api/v1/stakeholders/me/", {"display_name": "X"}),
    "PUT /api/v1/stakeholders/me/digest/": (
        lambda w: "/api/v1/stakeholders/me/digest/",
        {"frequency": "daily", "kinds": ["reply"]},
    ),
    "POST /api/v1/stakeholders/me/feeds/": (lambda w: "/api/v1/stakeholders/me/feeds/", {}),
    "POST /api/v1/stakeholders/me/interests/": (
        lambda w: "/api/v1/stakeholders/me/interests/",
        {"funding_sources": "Myself", "interests": "Openness"},
    ),
    "POST /api/v1/affiliations/": (lambda w: "/api/v1/affiliations/", HAT),
    "PATCH /api/v1/affiliations/{id}/": (
        lambda w: f"/api/v1/affiliations/{w.hats['stakeholder'].pk}/",
        {"role": "Chair"},
    ),
    "POST /api/v1/affiliations/{id}/end/": (
        lambda w: f"/api/v1/affiliations/{w.hats['stakeholder'].pk}/end/",
        {},
    ),
    "POST /api/v1/affiliations/{id}/primary/": (
        lambda w: f"/api/v1/affiliations/{w.hats['stakeholder'].pk}/primary/",
        {},
    ),
    "POST /api/v1/affiliations/{id}/verify/": (
        lambda w: f"/api/v1/affiliations/{w.hats['stakeholder'].pk}/verify/",
        {},
    ),
    "POST /api/v1/affiliations/{id}/reject/": (
        lambda w: f"/api/v1/affiliations/{w.hats['stakeholder'].pk}/reject/",
        {"reason": "The organisation does not list this person"},
    ),
    "POST /api/v1/notifications/read/": (lambda w: "/api/v1/notifications/read/", {}),
    "POST /api/v1/processes/{slug}/balance/snapshot/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/balance/snapshot/",
        {},
    ),
    "POST /api/v1/support-requests/": (
        lambda w: "/api/v1/support-requests/",
        lambda w, role: {
            "process": w.process.slug,
            "kind": "connectivity",
            "description": "A data plan",
            "amount_requested": "50",
        },
    ),
    "POST /api/v1/support-requests/{id}/decline/": (
        lambda w: f"/api/v1/support-requests/{w.support.pk}/decline/",
        {"reason": "No budget for travel"},
    ),
    "POST /api/v1/support-requests/{id}/grant/": (
        lambda w: f"/api/v1/support-requests/{w.support.pk}/grant/",
        {"amount": "400"},
    ),
    "POST /api/v1/support-requests/{id}/withdraw/": (
        lambda w: f"/api/v1/support-requests/{w.support.pk}/withdraw/",
        {},
    ),
    # Statement polls (docs/design.md §7).
    "POST /api/v1/polls/": (
        lambda w: "/api/v1/polls/",
        lambda w, role: {"process": w.process.slug, "title": "Which way?"},
    ),
    "POST /api/v1/polls/{id}/close/": (lambda w: f"/api/v1/polls/{_poll(w).pk}/close/", {}),
    "POST /api/v1/polls/{id}/statements/": (
        lambda w: f"/api/v1/polls/{_poll(w).pk}/statements/",
        {"text": "Meet in Lima"},
    ),
    "PUT /api/v1/statements/{id}/vote/": (
        lambda w: f"/api/v1/statements/{_statement(w).pk}/vote/",
        {"vote": 1},
    ),
    "POST /api/v1/statements/{id}/accept/": (
        lambda w: f"/api/v1/statements/{_pending(w).pk}/accept/",
        {},
    ),
    "POST /api/v1/statements/{id}/reject/": (
        lambda w: f"/api/v1/statements/{_pending(w).pk}/reject/",
        {"reason": "Off topic"},
    ),
    "POST /processes/{slug}/polls/new/": (
        lambda w: f"/processes/{w.process.slug}/polls/new/",
        {"title": "Which way?", "seeds": "North", "attribution": "named"},
    ),
    # Without a file: the facilitator's form comes back with its error (the import itself is
    # tested in tests/consensus/polls/test_poll_pages.py).
    "POST /processes/{slug}/polls/import/": (
        lambda w: f"/processes/{w.process.slug}/polls/import/",
        {},
    ),
    "POST /processes/{slug}/polls/{pk}/vote/": (
        lambda w: f"/processes/{w.process.slug}/polls/{_poll(w).pk}/vote/",
        lambda w, role: {"statement": _statement(w).pk, "vote": "1"},
    ),
    "POST /processes/{slug}/polls/{pk}/statements/": (
        lambda w: f"/processes/{w.process.slug}/polls/{_poll(w).pk}/statements/",
        {"text": "Meet in Lima"},
    ),
    "POST /processes/{slug}/polls/{pk}/statements/{statement}/{decision}/ accept": (
        lambda w: (
            f"/processes/{w.process.slug}/polls/{_poll(w).pk}/statements/{_pending(w).pk}/accept/"
        ),
        {},
    ),
    "POST /processes/{slug}/polls/{pk}/statements/{statement}/{decision}/ reject": (
        lambda w: (
            f"/processes/{w.process.slug}/polls/{_poll(w).pk}/statements/{_pending(w).pk}/reject/"
        ),
        {"reason": "Off topic"},
    ),
    "POST /processes/{slug}/polls/{pk}/close/": (
        lambda w: f"/processes/{w.process.slug}/polls/{_poll(w).pk}/close/",
        {},
    ),
    "POST /api/v1/processes/": (lambda w: "/api/v1/processes/", {"title": "A new process"}),
    "PATCH /api/v1/processes/{slug}/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/",
        {"description": "Edited"},
    ),
    "POST /api/v1/processes/{slug}/archive/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/archive/",
        {},
    ),
    "POST /api/v1/processes/{slug}/join/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/join/",
        _own_hat,
    ),
    # Invitations: facilitators invite and revoke; the signed link is the credential to accept.
    "POST /api/v1/processes/{slug}/invitations/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/invitations/",
        {"emails": ["newcomer@example.org"]},
    ),
    "POST /api/v1/processes/{slug}/invitations/{id}/revoke/": (
        lambda w: f"/api/v1/processes/{w.process.slug}/invitations/{_invitation(w).pk}/revoke/",
        {},
    ),
    "POST /api/v1/invitations/{token}/accept/": (
        lambda w: f"/api/v1/invitations/{invitation_token(_invitation(w).pk)}/accept/",
        _own_hat,
    ),
    "POST /api/v1/issues/": (
        lambda w: "/api/v1/issues/",
        lambda w, role: {"process": w.process.slug, "title": "Another", "body": "Why not"},
    ),
    "POST /api/v1/comments/": (
        lambda w: "/api/v1/comments/",
        lambda w, role: {"issue": w.issue.pk, "body": "I agree"},
    ),
    "PATCH /api/v1/comments/{id}/": (
        lambda w: f"/api/v1/comments/{w.comment.pk}/",
        {"body": "Edited"},
    ),
    "POST /api/v1/proposals/": (
        lambda w: "/api/v1/proposals/",
        lambda w, role: {"issue": w.issue.pk, "title": "Other plan", "text": "Text"},
    ),
    "POST /api/v1/proposals/{id}/versions/": (
        lambda w: f"/api/v1/proposals/{w.proposal.pk}/versions/",
        {"text": "Three", "change_summary": "Shorter"},
    ),
    "POST /api/v1/glossary/": (
        lambda w: "/api/v1/glossary/",
        {"term": "Zettabyte stewardship", "definitions": {"en": "Care for much data"}},
    ),
    "PATCH /api/v1/glossary/{id}/": (
        lambda w: f"/api/v1/glossary/{w.term.pk}/",
        {"definitions": {"en": "Careful care"}},
    ),
    "POST /api/v1/resources/": (
        lambda w: "/api/v1/resources/",
        {"title": "Tool", "url": "https://example.org/tool", "kind": "tool", "summary": "Use"},
    ),
    "POST /api/v1/rounds/": (
        lambda w: "/api/v1/rounds/",
        lambda w, role: {"version": w.later_version.pk, "closes_at": _soon()},
    ),
    "PUT /api/v1/rounds/{id}/ballot/": (
        lambda w: f"/api/v1/rounds/{w.open_round.pk}/ballot/",
        {"position": "support"},
    ),
    "POST /api/v1/rounds/{id}/challenge/": (
        lambda w: f"/api/v1/rounds/{w.declared_round.pk}/challenge/",
        {"text": "The count ignored the last objections"},
    ),
    "POST /api/v1/rounds/{id}/close/": (
        lambda w: f"/api/v1/rounds/{w.open_round.pk}/close/",
        {},
    ),
    "POST /api/v1/rounds/{id}/declare/": (
        lambda w: f"/api/v1/rounds/{w.closed_round.pk}/declare/",
        {"designation": "divergence", "rationale": "As computed", "over_open_objections": True},
    ),
    "POST /api/v1/rounds/{id}/extend/": (
        lambda w: f"/api/v1/rounds/{w.open_round.pk}/extend/",
        lambda w, role: {"closes_at": _month()},
    ),
    "POST /api/v1/rounds/{id}/minority-statement/": (
        lambda w: f"/api/v1/rounds/{w.closed_round.pk}/minority-statement/",
        {"text": "We still disagree"},
    ),
    "POST /api/v1/rounds/{id}/open/": (lambda w: f"/api/v1/rounds/{w.draft_round.pk}/open/", {}),
    "POST /api/v1/objections/{id}/accommodate/": (
        lambda w: f"/api/v1/objections/{w.objection.pk}/accommodate/",
        lambda w, role: {"reason": "Version three says it", "version": w.third_version.pk},
    ),
    "POST /api/v1/objections/{id}/acknowledge/": (
        lambda w: f"/api/v1/objections/{w.unacknowledged.pk}/acknowledge/",
        {},
    ),
    "POST /api/v1/objections/{id}/address/": (
        lambda w: f"/api/v1/objections/{w.objection.pk}/address/",
        {"reason": "Considered at the meeting"},
    ),
    "POST /api/v1/objections/{id}/answer/": (
        lambda w: f"/api/v1/objections/{w.objection.pk}/answer/",
        {"resolved": True},
    ),
    "POST /api/v1/objections/{id}/withdraw/": (
        lambda w: f"/api/v1/objections/{w.objection.pk}/withdraw/",
        {},
    ),
    "POST /api/v1/trust/recompute/": (lambda w: "/api/v1/trust/recompute/", {}),
    "POST /api/v1/endorsements/": (
        lambda w: "/api/v1/endorsements/",
        lambda w, role: {"to": w.people["member"].pk if role == "stakeholder" else w.target.pk},
    ),
    "DELETE /api/v1/endorsements/{id}/": (
        lambda w: f"/api/v1/endorsements/{w.endorsement.pk}/",
        {},
    ),
    "POST /api/v1/commitments/": (
        lambda w: "/api/v1/commitments/",
        lambda w, role: {"text": "We will report", "due": _later()},
    ),
    "POST /api/v1/commitments/{id}/attest/": (
        lambda w: f"/api/v1/commitments/{w.commitment.pk}/attest/",
        {"verdict": "partly", "evidence": "Half of it"},
    ),
    "POST /api/v1/attestations/{id}/reply/": (
        lambda w: f"/api/v1/attestations/{w.attestation.pk}/reply/",
        {"reply": "Thank you"},
    ),
    "POST /api/v1/flags/": (
        lambda w: "/api/v1/flags/",
        lambda w, role: {"target_type": "comment", "target_id": w.comment.pk, "reason": "Spam"},
    ),
    "POST /api/v1/moderation/cases/{id}/actions/": (
        lambda w: f"/api/v1/moderation/cases/{w.case.pk}/actions/",
        {"kind": "note", "reason": "Watch this"},
    ),
    "POST /api/v1/moderation/cases/{id}/close/": (
        lambda w: f"/api/v1/moderation/cases/{w.case.pk}/close/",
        {"reason": "Nothing wrong"},
    ),
    "POST /api/v1/moderation/actions/{id}/appeal/": (
        lambda w: f"/api/v1/moderation/actions/{w.warning.pk}/appeal/",
        {"text": "I was quoted out of context"},
    ),
    "POST /api/v1/moderation/actions/{id}/confirm/": (
        lambda w: f"/api/v1/moderation/actions/{w.ban.pk}/confirm/",
        {},
    ),
    "POST /api/v1/moderation/appeals/{id}/decide/": (
        lambda w: f"/api/v1/moderation/appeals/{w.appeal.pk}/decide/",
        {"decision": "upheld", "reason": "The warning stands"},
    ),
    "POST /api/v1/moderation/signals/compute/": (
        lambda w: "/api/v1/moderation/signals/compute/",
        {},
    ),
    # The pages, as the URL resolver names them.
    "POST /me/profile/": (
        lambda w: "/me/profile/",
        {"display_name": "X", "country": "KE", "funding": "self_funded", "attribution": "named"},
    ),
    "POST /me/hats/": (lambda w: "/me/hats/", HAT),
    "POST /me/hats/{pk}/edit/": (lambda w: f"/me/hats/{w.hats['stakeholder'].pk}/edit/", HAT),
    "POST /me/hats/{pk}/{action}/ end": (
        lambda w: f"/me/hats/{w.hats['stakeholder'].pk}/end/",
        {},
    ),
    "POST /me/hats/{pk}/{action}/ primary": (
        lambda w: f"/me/hats/{w.hats['stakeholder'].pk}/primary/",
        {},
    ),
    "POST /me/interests/": (
        lambda w: "/me/interests/",
        {"funding_sources": "Myself", "interests": "Openness"},
    ),
    "POST /me/notifications/": (lambda w: "/me/notifications/", {}),
    "POST /me/notifications/settings/": (
        lambda w: "/me/notifications/settings/",
        {"reply_in_app": "on"},
    ),
    "POST /me/following/": (lambda w: "/me/following/", {"frequency": "weekly"}),
    "POST /unsubscribe/{token}/": (
        lambda w: f"/unsubscribe/{unsubscribe_token(w.target)}/",
        {},
    ),
    "POST /staff/affiliations/": (
        lambda w: "/staff/affiliations/",
        lambda w, role: {"affiliation": w.hats["stakeholder"].pk},
    ),
    "POST /staff/affiliations/{pk}/reject/": (
        lambda w: f"/staff/affiliations/{w.hats['stakeholder'].pk}/reject/",
        {"reason": "The organisation does not list this person"},
    ),
    "POST /staff/roles/": (
        lambda w: "/staff/roles/",
        lambda w, role: {"user": w.target.pk, "role": "facilitator", "granted": "1"},
    ),
    "POST /me/notifications/email/": (
        lambda w: "/me/notifications/email/",
        {"immediate_ballots": "on"},
    ),
    "POST /staff/inbound/": (
        lambda w: "/staff/inbound/",
        lambda w, role: {"message": _inbound_message().pk},
    ),
    # The signed link is the credential: it confirms the member's e-mailed ballot, whoever posts.
    "POST /mail/ballots/{token}/": (
        lambda w: f"/mail/ballots/{_email_ballot_token(w)}/",
        {},
    ),
    "POST /processes/new/": (
        lambda w: "/processes/new/",
        {**PROCESS_FORM, "title": "Brand new", "slug": "brand-new"},
    ),
    "POST /processes/{slug}/edit/": (lambda w: f"/processes/{w.process.slug}/edit/", PROCESS_FORM),
    "POST /processes/{slug}/archive/": (lambda w: f"/processes/{w.process.slug}/archive/", {}),
    "POST /processes/{slug}/join/": (lambda w: f"/processes/{w.process.slug}/join/", _own_hat),
    "POST /processes/{slug}/invitations/": (
        lambda w: f"/processes/{w.process.slug}/invitations/",
        {"emails": "newcomer@example.org"},
    ),
    "POST /processes/{slug}/invitations/{pk}/revoke/": (
        lambda w: f"/processes/{w.process.slug}/invitations/{_invitation(w).pk}/revoke/",
        {},
    ),
    "POST /invitations/{token}/": (
        lambda w: f"/invitations/{invitation_token(_invitation(w).pk)}/",
        _own_hat,
    ),
    "POST /processes/{slug}/issues/new/": (
        lambda w: f"/processes/{w.process.slug}/issues/new/",
        {"title": "Another", "body": "Why not"},
    ),
    "POST /processes/{slug}/issues/{pk}/": (
        lambda w: f"/processes/{w.process.slug}/issues/{w.issue.pk}/",
        lambda w, role: {"body": "I agree", "attribution": "named", **_own_hat(w, role)},
    ),
    "POST /processes/{slug}/issues/{pk}/status/": (
        lambda w: f"/processes/{w.process.slug}/issues/{w.issue.pk}/status/",
        {"status": "closed"},
    ),
    "POST /processes/{slug}/issues/{pk}/proposals/new/": (
        lambda w: f"/processes/{w.process.slug}/issues/{w.issue.pk}/proposals/new/",
        {"title": "Other plan", "text": "Text"},
    ),
    "POST /processes/{slug}/comments/{pk}/edit/": (
        lambda w: f"/processes/{w.process.slug}/comments/{w.comment.pk}/edit/",
        {"body": "Edited"},
    ),
    "POST /processes/{slug}/proposals/{pk}/": (
        lambda w: f"/processes/{w.process.slug}/proposals/{w.proposal.pk}/",
        lambda w, role: {"body": "On the text", "attribution": "named", **_own_hat(w, role)},
    ),
    "POST /processes/{slug}/proposals/{pk}/v/{number}/": (
        lambda w: f"/processes/{w.process.slug}/proposals/{w.proposal.pk}/v/1/",
        lambda w, role: {"body": "On version 1", "attribution": "named", **_own_hat(w, role)},
    ),
    "POST /processes/{slug}/proposals/{pk}/versions/new/": (
        lambda w: f"/processes/{w.process.slug}/proposals/{w.proposal.pk}/versions/new/",
        {"text": "Three", "change_summary": "Shorter"},
    ),
    "POST /glossary/new/": (lambda w: "/glossary/new/", GLOSSARY_FORM),
    "POST /glossary/{pk}/edit/": (
        lambda w: f"/glossary/{w.term.pk}/edit/",
        {**GLOSSARY_FORM, "term": "Stewardship"},
    ),
    "POST /resources/new/": (
        lambda w: "/resources/new/",
        {"title": "Tool", "url": "https://example.org/tool", "kind": "tool", "summary": "Use"},
    ),
    "POST /processes/{slug}/versions/{version}/rounds/new/": (
        lambda w: f"/processes/{w.process.slug}/versions/{w.later_version.pk}/rounds/new/",
        lambda w, role: {"closes_at": _soon()[:16], "ballot_visibility": "named"},
    ),
    "POST /processes/{slug}/rounds/{pk}/ballot/": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.open_round.pk}/ballot/",
        lambda w, role: {"position": "support", **_own_hat(w, role)},
    ),
    "POST /processes/{slug}/rounds/{pk}/open/": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.draft_round.pk}/open/",
        {},
    ),
    "POST /processes/{slug}/rounds/{pk}/close/": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.open_round.pk}/close/",
        {},
    ),
    "POST /processes/{slug}/rounds/{pk}/extend/": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.open_round.pk}/extend/",
        lambda w, role: {"closes_at": _month()[:16]},
    ),
    "POST /processes/{slug}/rounds/{pk}/exclude/": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.open_round.pk}/exclude/",
        lambda w, role: {"user": w.people["member"].pk, "reason": "A second account"},
    ),
    **{
        f"POST /processes/{{slug}}/rounds/{{pk}}/objections/{{objection}}/{{decision}}/ {d}": (
            _decision_url(d),
            _decision_body,
        )
        for d in ("address", "accommodate", "withdraw", "answer", "acknowledge")
    },
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ declare": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.closed_round.pk}/result/declare/",
        {"designation": "divergence", "rationale": "As computed", "over_open_objections": "on"},
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ state": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.closed_round.pk}/result/state/",
        {"text": "We still disagree"},
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ challenge": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.declared_round.pk}/result/challenge/",
        {"text": "The count ignored the last objections"},
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ answer": (
        lambda w: f"/processes/{w.process.slug}/rounds/{w.declared_round.pk}/result/answer/",
        lambda w, role: {"challenge": w.challenge.pk, "text": "It did not"},
    ),
    "POST /processes/{slug}/balance/snapshot/": (
        lambda w: f"/processes/{w.process.slug}/balance/snapshot/",
        {},
    ),
    "POST /processes/{slug}/support/": (
        lambda w: f"/processes/{w.process.slug}/support/",
        {
            "kind": "connectivity",
            "description": "A data plan",
            "amount_requested": "50",
            "funding": "unfunded",
        },
    ),
    "POST /processes/{slug}/support/{pk}/grant/": (
        lambda w: f"/processes/{w.process.slug}/support/{w.support.pk}/grant/",
        lambda w, role: {f"r{w.support.pk}-amount": "400"},
    ),
    "POST /processes/{slug}/support/{pk}/decline/": (
        lambda w: f"/processes/{w.process.slug}/support/{w.support.pk}/decline/",
        lambda w, role: {f"r{w.support.pk}-reason": "No budget for travel"},
    ),
    "POST /processes/{slug}/support/{pk}/withdraw/": (
        lambda w: f"/processes/{w.process.slug}/support/{w.support.pk}/withdraw/",
        {},
    ),
    "POST /stakeholders/{pk}/endorse/": (
        lambda w: f"/stakeholders/{w.target.pk}/endorse/",
        {"note": "Fair"},
    ),
    "POST /endorsements/{pk}/withdraw/": (
        lambda w: f"/endorsements/{w.endorsement.pk}/withdraw/",
        {},
    ),
    "POST /commitments/new/": (
        lambda w: "/commitments/new/",
        lambda w, role: {"text": "We will report", "due_on": _later()},
    ),
    "POST /commitments/{pk}/": (
        lambda w: f"/commitments/{w.commitment.pk}/",
        {"verdict": "partly", "evidence": "Half of it"},
    ),
    "POST /attestations/{pk}/reply/": (
        lambda w: f"/attestations/{w.attestation.pk}/reply/",
        {"reply": "Thank you"},
    ),
    "POST /staff/trust/": (lambda w: "/staff/trust/", {}),
    "POST /report/{target_type}/{pk}/": (
        lambda w: f"/report/comment/{w.comment.pk}/",
        {"reason": "Spam"},
    ),
    "POST /moderation/signals/": (lambda w: "/moderation/signals/", {}),
    "POST /moderation/cases/{pk}/ action": (
        lambda w: f"/moderation/cases/{w.case.pk}/",
        {"kind": "note", "reason": "Watch this"},
    ),
    "POST /moderation/cases/{pk}/ close": (
        lambda w: f"/moderation/cases/{w.case.pk}/",
        {"close": "1", "reason": "Nothing wrong"},
    ),
    "POST /moderation/actions/{pk}/ appeal": (
        lambda w: f"/moderation/actions/{w.warning.pk}/",
        {"step": "appeal", "text": "I was quoted out of context"},
    ),
    "POST /moderation/actions/{pk}/ confirm": (
        lambda w: f"/moderation/actions/{w.ban.pk}/",
        {"step": "confirm"},
    ),
    "POST /moderation/actions/{pk}/ decide": (
        lambda w: f"/moderation/actions/{w.appeal.action_id}/",
        {"step": "decide", "decision": "upheld", "reason": "The warning stands"},
    ),
}

# --- what each of them must get: the table ------------------------------------------------------
# Columns: anonymous, stakeholder, member, non_member, suspended, other_facilitator, facilitator,
# admin_no_totp, admin.
# fmt: off
TABLE: dict[str, str] = {
    #    anon  stake memb  non   susp  o-fac fac   a-2fa admin
    "POST /api/v1/auth/token/": (
        "400   ok    ok    ok    400   400   400   ok    400"
    ),
    "PATCH /api/v1/stakeholders/me/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/stakeholders/me/interests/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "PUT /api/v1/stakeholders/me/digest/": (
        "401   ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /api/v1/stakeholders/me/feeds/": (
        "401   ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /api/v1/affiliations/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "PATCH /api/v1/affiliations/{id}/": (
        "401   ok    404   404   403   404   404   404   404"
    ),
    "POST /api/v1/affiliations/{id}/end/": (
        "401   ok    404   404   403   404   404   404   404"
    ),
    "POST /api/v1/affiliations/{id}/primary/": (
        "401   ok    404   404   403   404   404   404   404"
    ),
    "POST /api/v1/affiliations/{id}/verify/": (
        "401   403   403   403   403   403   403   403   ok"
    ),
    "POST /api/v1/affiliations/{id}/reject/": (
        "401   403   403   403   403   403   403   403   ok"
    ),
    "POST /api/v1/notifications/read/": (
        "401   ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /api/v1/processes/{slug}/balance/snapshot/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/support-requests/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/support-requests/{id}/decline/": (
        "401   404   403   404   403   404   ok    404   404"
    ),
    "POST /api/v1/support-requests/{id}/grant/": (
        "401   404   403   404   403   404   ok    404   404"
    ),
    "POST /api/v1/support-requests/{id}/withdraw/": (
        "401   404   ok    404   403   404   403   404   404"
    ),
    "POST /api/v1/processes/": (
        "401   403   403   403   403   ok    ok    403   ok"
    ),
    "PATCH /api/v1/processes/{slug}/": (
        "401   403   403   403   403   403   ok    403   ok"
    ),
    "POST /api/v1/processes/{slug}/archive/": (
        "401   403   403   403   403   403   ok    403   ok"
    ),
    "POST /api/v1/processes/{slug}/join/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/processes/{slug}/invitations/": (
        "401   403   403   403   403   403   ok    403   ok"
    ),
    "POST /api/v1/processes/{slug}/invitations/{id}/revoke/": (
        "401   403   403   403   403   403   ok    403   ok"
    ),
    "POST /api/v1/invitations/{token}/accept/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/issues/": (
        "401   403   ok    403   403   403   ok    403   403"
    ),
    "POST /api/v1/comments/": (
        "401   403   ok    403   403   403   ok    403   403"
    ),
    "PATCH /api/v1/comments/{id}/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/proposals/": (
        "401   403   ok    403   403   403   ok    403   403"
    ),
    "POST /api/v1/proposals/{id}/versions/": (
        "401   403   ok    403   403   403   ok    403   403"
    ),
    "POST /api/v1/glossary/": (
        "401   403   403   403   403   ok    ok    403   ok"
    ),
    "PATCH /api/v1/glossary/{id}/": (
        "401   403   403   403   403   ok    ok    403   ok"
    ),
    "POST /api/v1/resources/": (
        "401   403   403   403   403   ok    ok    403   ok"
    ),
    "POST /api/v1/rounds/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/polls/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/polls/{id}/close/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/polls/{id}/statements/": (
        "401   403   ok    403   403   403   ok    403   403"
    ),
    "PUT /api/v1/statements/{id}/vote/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/statements/{id}/accept/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/statements/{id}/reject/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /processes/{slug}/polls/new/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/polls/import/": (
        "login 404   404   404   403   404   400   404   404"
    ),
    "POST /processes/{slug}/polls/{pk}/vote/": (
        "login 404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/polls/{pk}/statements/": (
        "login 404   ok    404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/polls/{pk}/statements/{statement}/{decision}/ accept": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/polls/{pk}/statements/{statement}/{decision}/ reject": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/polls/{pk}/close/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "PUT /api/v1/rounds/{id}/ballot/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/rounds/{id}/challenge/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/rounds/{id}/close/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/rounds/{id}/declare/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/rounds/{id}/extend/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/rounds/{id}/minority-statement/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/rounds/{id}/open/": (
        "401   404   404   404   403   404   ok    404   403"
    ),
    "POST /api/v1/objections/{id}/accommodate/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/objections/{id}/acknowledge/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/objections/{id}/address/": (
        "401   403   403   403   403   403   ok    403   403"
    ),
    "POST /api/v1/objections/{id}/answer/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/objections/{id}/withdraw/": (
        "401   403   ok    403   403   403   403   403   403"
    ),
    "POST /api/v1/trust/recompute/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /api/v1/endorsements/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "DELETE /api/v1/endorsements/{id}/": (
        "401   ok    403   403   403   403   403   403   403"
    ),
    "POST /api/v1/commitments/": (
        "401   ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/commitments/{id}/attest/": (
        "401   400   400   ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/attestations/{id}/reply/": (
        "401   ok    403   403   403   403   403   403   403"
    ),
    "POST /api/v1/flags/": (
        "401   400   400   ok    403   ok    ok    ok    ok"
    ),
    "POST /api/v1/moderation/cases/{id}/actions/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /api/v1/moderation/cases/{id}/close/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /api/v1/moderation/actions/{id}/appeal/": (
        "404   ok    404   404   404   404   404   404   403"
    ),
    "POST /api/v1/moderation/actions/{id}/confirm/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /api/v1/moderation/appeals/{id}/decide/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /api/v1/moderation/signals/compute/": (
        "404   404   404   404   403   404   404   404   ok"
    ),
    "POST /me/profile/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /me/hats/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /me/hats/{pk}/edit/": (
        "login ok    404   404   403   404   404   404   404"
    ),
    "POST /me/hats/{pk}/{action}/ end": (
        "login ok    404   404   403   404   404   404   404"
    ),
    "POST /me/hats/{pk}/{action}/ primary": (
        "login ok    404   404   403   404   404   404   404"
    ),
    "POST /me/interests/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /me/notifications/": (
        "login ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /me/notifications/settings/": (
        "login ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /me/following/": (
        "login ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /unsubscribe/{token}/": (
        "ok    ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /staff/affiliations/": (
        "login 404   404   404   403   404   404   mfa   ok"
    ),
    "POST /staff/affiliations/{pk}/reject/": (
        "login 404   404   404   403   404   404   mfa   ok"
    ),
    "POST /staff/roles/": (
        "login 404   404   404   403   404   404   mfa   ok"
    ),
    "POST /me/notifications/email/": (
        "login ok    ok    ok    ok    ok    ok    ok    ok"
    ),
    "POST /staff/inbound/": (
        "login 404   404   404   403   404   404   mfa   ok"
    ),
    "POST /mail/ballots/{token}/": (
        "ok    ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /processes/new/": (
        "login 404   404   404   403   ok    ok    mfa   ok"
    ),
    "POST /processes/{slug}/edit/": (
        "login 404   404   404   403   404   ok    mfa   ok"
    ),
    "POST /processes/{slug}/archive/": (
        "login 404   404   404   403   404   ok    mfa   ok"
    ),
    "POST /processes/{slug}/join/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /processes/{slug}/invitations/": (
        "login 404   404   404   403   404   ok    mfa   ok"
    ),
    "POST /processes/{slug}/invitations/{pk}/revoke/": (
        "login 404   404   404   403   404   ok    mfa   ok"
    ),
    "POST /invitations/{token}/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /processes/{slug}/issues/new/": (
        "login 404   ok    404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/issues/{pk}/": (
        "login 400   ok    400   403   400   ok    400   400"
    ),
    "POST /processes/{slug}/issues/{pk}/status/": (
        "login 404   404   404   403   404   ok    mfa   ok"
    ),
    "POST /processes/{slug}/issues/{pk}/proposals/new/": (
        "login 404   ok    404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/comments/{pk}/edit/": (
        "login 404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/proposals/{pk}/": (
        "login 400   ok    400   403   400   ok    400   400"
    ),
    "POST /processes/{slug}/proposals/{pk}/v/{number}/": (
        "login 400   ok    400   403   400   ok    400   400"
    ),
    "POST /processes/{slug}/proposals/{pk}/versions/new/": (
        "login 404   ok    404   403   404   ok    404   404"
    ),
    "POST /glossary/new/": (
        "login 404   404   404   403   ok    ok    mfa   ok"
    ),
    "POST /glossary/{pk}/edit/": (
        "login 404   404   404   403   ok    ok    mfa   ok"
    ),
    "POST /resources/new/": (
        "login 404   404   404   403   ok    ok    mfa   ok"
    ),
    "POST /processes/{slug}/versions/{version}/rounds/new/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/ballot/": (
        "login 404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/open/": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/close/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/extend/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/exclude/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/objections/{objection}/{decision}/ address": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/objections/{objection}/{decision}/ accommodate": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/objections/{objection}/{decision}/ withdraw": (
        "404   404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/objections/{objection}/{decision}/ answer": (
        "404   404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/objections/{objection}/{decision}/ acknowledge": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ declare": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ state": (
        "404   404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ challenge": (
        "404   404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/rounds/{pk}/result/{action}/ answer": (
        "404   404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/balance/snapshot/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/support/": (
        "login 404   ok    404   403   404   404   404   404"
    ),
    "POST /processes/{slug}/support/{pk}/grant/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/support/{pk}/decline/": (
        "login 404   404   404   403   404   ok    404   404"
    ),
    "POST /processes/{slug}/support/{pk}/withdraw/": (
        "login 404   ok    404   403   404   404   404   404"
    ),
    "POST /stakeholders/{pk}/endorse/": (
        "login 400   ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /endorsements/{pk}/withdraw/": (
        "login ok    404   404   403   404   404   404   404"
    ),
    "POST /commitments/new/": (
        "login ok    ok    ok    403   ok    ok    ok    ok"
    ),
    "POST /commitments/{pk}/": (
        "login 400   400   ok    403   ok    ok    ok    ok"
    ),
    "POST /attestations/{pk}/reply/": (
        "login ok    404   404   403   404   404   404   404"
    ),
    "POST /staff/trust/": (
        "login 404   404   404   403   404   404   mfa   ok"
    ),
    "POST /report/{target_type}/{pk}/": (
        "login 400   400   ok    403   ok    ok    ok    ok"
    ),
    "POST /moderation/signals/": (
        "404   404   404   404   403   404   404   mfa   ok"
    ),
    "POST /moderation/cases/{pk}/ action": (
        "404   404   404   404   403   404   404   mfa   ok"
    ),
    "POST /moderation/cases/{pk}/ close": (
        "404   404   404   404   403   404   404   mfa   ok"
    ),
    "POST /moderation/actions/{pk}/ appeal": (
        "login ok    404   404   404   404   404   404   404"
    ),
    "POST /moderation/actions/{pk}/ confirm": (
        "login 404   404   404   404   404   404   404   ok"
    ),
    "POST /moderation/actions/{pk}/ decide": (
        "login 404   404   404   404   404   404   404   ok"
    ),
}
# fmt: on

# Pages that only show something (GET); listed so that a new page is classified the day it comes.
READ_ONLY = {
    "GET /",
    "GET /calendars/me/{key}.ics",
    "GET /feeds/",
    "GET /feeds/me/{key}/",
    "GET /open-data/",
    "GET /processes/{slug}/calendar.ics",
    "GET /processes/{slug}/feed/",
    "GET /processes/{slug}/issues/{pk}/feed/",
    "GET /processes/{slug}/open-data.zip",
    "GET /processes/{slug}/rounds/{pk}/calendar.ics",
    "GET /commitments/",
    "GET /getting-started/",
    "GET /glossary/",
    "GET /health/",
    "GET /language/",
    "GET /me/",
    "GET /me/moderation/",
    "GET /me/notifications/{pk}/open/",
    "GET /method/consensus/",
    "GET /moderation/",
    "GET /moderation/log/",
    "GET /processes/",
    "GET /processes/{slug}/",
    "GET /processes/{slug}/balance/",
    "GET /processes/{slug}/comments/{pk}/history/",
    "GET /processes/{slug}/objections/",
    "GET /processes/{slug}/polls/",
    "GET /processes/{slug}/polls/{pk}/",
    "GET /processes/{slug}/polls/{pk}/map/",
    "GET /processes/{slug}/polls/{pk}/polis.zip",
    "GET /processes/{slug}/proposals/{pk}/diff/",
    "GET /processes/{slug}/rounds/",
    "GET /processes/{slug}/rounds/{pk}/",
    "GET /processes/{slug}/rounds/{pk}/export.json",
    "GET /processes/{slug}/rounds/{pk}/export/{table}.csv",
    "GET /processes/{slug}/rounds/{pk}/objections/",
    "GET /processes/{slug}/rounds/{pk}/record/",
    "GET /processes/{slug}/rounds/{pk}/result/",
    "GET /record/",
    "GET /record/{seq}/",
    "GET /resources/",
    "GET /search/",
    "GET /stakeholders/",
    "GET /stakeholders/{pk}/",
    "GET /stakeholders/{pk}/interests/",
    "GET /stakeholders/{pk}/trust/",
}

# Routes the matrix leaves to their own tests, each with where.
ELSEWHERE = {
    "/accounts/": "django-allauth's account pages: tests/stakeholders/test_accounts.py, "
    "test_credentials.py and test_lockout.py",
    "/django-admin/": "the admin site: tests/config/test_two_factor_reads.py",
    "/inbound/": "the inbound mail webhook, authenticated by a shared secret, not a person: "
    "tests/stakeholders/test_inbound_web.py",
}


# --- discovery ---------------------------------------------------------------------------------


def _normal(path: str) -> str:
    return re.sub(r"\{\w+\}", "{}", path)


def schema_routes() -> set[str]:
    """Every mutating operation of the OpenAPI schema, as "METHOD /path/{param}/"."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in MUTATING
    }


def _patterns(patterns: list[Any], prefix: str = "/") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _as_path(route: str) -> str:
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route.replace("^", "").replace("$", ""))
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def _methods(pattern: URLPattern) -> set[str]:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return set()
    allowed = set(view_class.http_method_names) & set(MUTATING)
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return {method for method in actions if method in allowed}
    return {method for method in allowed if hasattr(view_class, method)}


def resolver_routes() -> tuple[set[str], set[str]]:
    """(mutating routes, read-only pages) of the URL resolver, but for ELSEWHERE."""
    mutating, reading = set(), set()
    for route, pattern in _patterns(get_resolver().url_patterns):
        if route.startswith(tuple(ELSEWHERE)):
            continue
        path = _as_path(route)
        methods = _methods(pattern)
        mutating |= {f"{method.upper()} {path}" for method in methods}
        if not methods and not path.startswith("/api/"):
            reading.add(f"GET {path}")
    return mutating, reading


def _route_of(key: str) -> str:
    return " ".join(key.split(" ")[:2])


# --- asking ------------------------------------------------------------------------------------


def _clients(world: World) -> dict[str, tuple[Client, APIClient]]:
    clients = {}
    for role in ROLES:
        web, api = Client(raise_request_exception=False), APIClient()
        api.raise_request_exception = False
        if role in world.people:
            web.force_login(world.people[role])
            api.force_login(world.people[role])
        clients[role] = (web, api)
    return clients


def _flashed_error(response: Any) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(message.level >= messages.ERROR for message in queued)


def outcome(response: Any, *, api: bool) -> str:
    code = response.status_code
    if api:
        return "ok" if 200 <= code < 300 else "400" if code in (400, 409, 422) else str(code)
    location = response.get("Location", "") if code in (301, 302, 303) else ""
    if location.startswith("/accounts/login/"):
        return "login"
    if "/accounts/2fa/totp/activate/" in location or "/accounts/reauthenticate/" in location:
        return "mfa"
    if location:
        return "400" if _flashed_error(response) else "ok"
    # A page that answers a form with itself shows the form again with its errors.
    return "400" if code in (200, 409) else str(code)


def ask(world: World, clients: dict[str, tuple[Client, APIClient]], key: str, role: str) -> str:
    url, body = SPECS[key]
    method = key.split(" ", maxsplit=1)[0].lower()
    data = body(world, role) if callable(body) else body
    web, api = clients[role]
    is_api = key.split(" ")[1].startswith("/api/")
    sid = transaction.savepoint()
    try:
        if is_api:
            response = getattr(api, method)(url(world), data, format="json")
        else:
            response = web.post(url(world), data)
        return outcome(response, api=is_api)
    finally:
        transaction.savepoint_rollback(sid)


# --- the tests ---------------------------------------------------------------------------------


def test_the_table_lists_every_route_the_schema_and_the_resolver_know() -> None:
    api_routes = schema_routes()
    mutating, reading = resolver_routes()
    resolver_api = {key for key in mutating if key.split(" ")[1].startswith("/api/")}
    assert {_normal(k) for k in resolver_api} == {_normal(k) for k in api_routes}, (
        "the OpenAPI schema and the URL resolver disagree about the API's writes"
    )
    known = api_routes | {key for key in mutating if not key.split(" ")[1].startswith("/api/")}
    tabled = {_route_of(key) for key in TABLE}
    assert known - tabled == set(), "routes missing from the table: add them with their outcomes"
    assert tabled - known == set(), "the table lists routes that no longer exist"
    assert reading - READ_ONLY == set(), "pages missing from READ_ONLY (or from the table)"
    assert READ_ONLY - reading == set(), "READ_ONLY lists pages that no longer exist"
    assert set(SPECS) == set(TABLE), "every row of the table needs its request (SPECS)"
    assert len(TABLE) * len(ROLES) >= 900


@pytest.mark.django_db
def test_every_mutating_route_answers_each_kind_of_person_as_the_table_says(
    settings: Settings,
) -> None:
    settings.REQUIRE_STAFF_MFA = True
    world = build_world()
    clients = _clients(world)
    wrong = []
    for key, expected in TABLE.items():
        got = [ask(world, clients, key, role) for role in ROLES]
        if got != expected.split():
            wrong.append(f"{key}\n    expected {expected}\n    got      {' '.join(got)}")
    assert not wrong, "\n".join(wrong)
