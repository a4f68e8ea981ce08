"""Shared fixtures: factories as fixtures, API clients, and settings that keep tests isolated."""

import uuid
from collections.abc import Callable, Iterator

import pytest
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import Settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.celery import app
from record import dbroles
from stakeholders.models import User
from tests.factories import AffiliationFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None) -> None:
    """The test database is created and migrated by the owner role, as `manage.py migrate` is."""
    dbroles.use_owner()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """Then the tests connect as the application role, like the site and the workers: what the
    role may not do to the record, no test can do by accident either. The owner drops the
    database at the end."""
    with django_db_blocker.unblock():
        dbroles.use_application()
    yield
    with django_db_blocker.unblock():
        dbroles.use_owner()


@pytest.fixture(autouse=True)
def _isolated_settings(settings: Settings) -> None:
    """Each test gets its own cache namespace in the real Redis (rate limits never leak between
    tests or into a running site), and needs TOTP only when it asks for it."""
    settings.CACHES = {
        **settings.CACHES,  # the process-local fragment cache as configured
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"footing-test-{uuid.uuid4().hex}"},
    }
    settings.REQUIRE_STAFF_MFA = False
    settings.PAGE_CACHE_SECONDS = 0  # tests/config/test_page_cache.py turns it on
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process() -> Iterator[None]:
    """Queued tasks run at once in the test process: tests never leave messages in the machine's
    Redis. Tests of the queue itself (tests/config/test_celery.py, tests/reliability/) turn this
    off against a private database or server of their own."""
    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=False)


@pytest.fixture
def user(db: None) -> User:
    return UserFactory.create()


@pytest.fixture
def admin_user(db: None) -> User:
    return UserFactory.create(is_staff=True, is_superuser=True, display_name="Ada Admin")


@pytest.fixture
def facilitator(db: None) -> User:
    user = UserFactory.create(is_facilitator=True, display_name="Femi Facilitator")
    AffiliationFactory.create(user=user, primary=True)
    return user


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(db: None) -> Callable[[User], APIClient]:
    """An API client authenticated with the given user's token."""

    def make(user: User) -> APIClient:
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make
