"""`seed_demo`: the docs/design.md §11 demo accounts, idempotently, with verified e-mails and
hats."""

from collections import Counter

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.test import Client

from record.selectors import audit_chain_break
from stakeholders.models import Affiliation, StakeholderGroup, User

pytestmark = pytest.mark.django_db

GROUPS_IN_ORDER = [
    "government",
    "private_sector",
    "civil_society",
    "technical_community",
    "academia",
    "intergovernmental",
]


def test_seed_demo_creates_the_contract_accounts_once(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "admin@example.org" in output and "facilitator@example.org" in output
    snapshot = (User.objects.count(), Affiliation.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Affiliation.objects.count()) == snapshot == (32, 31)

    admin = User.objects.get(email="admin@example.org")
    assert admin.is_staff
    assert User.objects.get(email="facilitator@example.org").is_facilitator
    for index in range(30):
        user = User.objects.get(email=f"s{index + 1:02d}@example.org")
        hat = user.affiliations.get()
        assert hat.verified and hat.primary
        assert hat.stakeholder_group == GROUPS_IN_ORDER[index // 5]
        assert EmailAddress.objects.get(user=user).verified
        assert user.check_password("footing-demo")
    regions_per_group: dict[str, set[str | None]] = {}
    for hat in Affiliation.objects.filter(user__email__startswith="s").select_related("user"):
        regions_per_group.setdefault(hat.stakeholder_group, set()).add(hat.user.region)
    assert all(len(regions) == 5 for regions in regions_per_group.values())
    assert set(regions_per_group) == set(StakeholderGroup.values)
    assert Counter(u.attribution for u in User.objects.all())["group_only"] == 2
    assert not User.objects.filter(funding="").exists(), "every demo person said how funded"
    assert audit_chain_break() is None


def test_demo_accounts_can_sign_in(client: Client) -> None:
    call_command("seed_demo")
    answer = client.post(
        "/accounts/login/", {"login": "s01@example.org", "password": "footing-demo"}
    )
    assert answer.status_code == 302
