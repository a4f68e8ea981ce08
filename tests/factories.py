"""factory_boy factories, one per model of the foundation (later apps add theirs)."""

import factory
from allauth.account.models import EmailAddress

from stakeholders.models import Affiliation, StakeholderGroup, StatementOfInterest, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    country = "KE"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(obj: User, create: bool, extracted: bool | None, **kwargs: object) -> None:  # noqa: N805
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class AffiliationFactory(factory.django.DjangoModelFactory[Affiliation]):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organisation = factory.Sequence(lambda n: f"Organisation {n}")
    stakeholder_group = StakeholderGroup.CIVIL_SOCIETY
    role = "Member"


class StatementOfInterestFactory(factory.django.DjangoModelFactory[StatementOfInterest]):
    class Meta:
        model = StatementOfInterest

    user = factory.SubFactory(UserFactory)
    version = factory.Sequence(lambda n: n + 1)
    funding_sources = "My employer"
    interests = "An open Internet"
