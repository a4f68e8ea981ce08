"""Many stakeholders at once for load runs (bulk inserts, not one request each), with their API
tokens and signed-in session cookies."""

from __future__ import annotations

import binascii
import os
from dataclasses import dataclass

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token

from deliberation.models import Participation, Process
from stakeholders.models import Affiliation, StakeholderGroup, User

GROUPS = list(StakeholderGroup.values)
# One country per group, so that regions and economies vary as well (docs/design.md §3's
# breakdowns).
COUNTRIES = ["KE", "DE", "BR", "IN", "PL", "US"]


@dataclass(frozen=True)
class Person:
    user: User
    token: str


def stakeholders(process: Process, count: int, *, prefix: str) -> list[Person]:
    """`count` new participants of `process`, spread over the six groups, each with one verified
    primary hat and an API token; created in a handful of bulk inserts."""
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"{prefix}-{n}@example.org",
            display_name=f"{prefix.title()} {n}",
            country=COUNTRIES[n % len(COUNTRIES)],
            password=unusable,  # these people use their token or a prepared session
        )
        for n in range(count)
    )
    hats = Affiliation.objects.bulk_create(
        Affiliation(
            user=user,
            organisation=f"Organisation {n % 40}",
            stakeholder_group=GROUPS[n % len(GROUPS)],
            primary=True,
        )
        for n, user in enumerate(users)
    )
    Participation.objects.bulk_create(
        Participation(process=process, user=user, affiliation=hat)
        for user, hat in zip(users, hats, strict=True)
    )
    tokens = Token.objects.bulk_create(
        Token(user=user, key=binascii.hexlify(os.urandom(20)).decode()) for user in users
    )
    return [Person(user, token.key) for user, token in zip(users, tokens, strict=True)]


def session_cookie(user: User) -> str:
    """A signed-in session for `user`, as signing in would leave it (the server must share this
    process's SECRET_KEY); returns the session key for the `sessionid` cookie."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    assert session.session_key is not None
    return session.session_key
