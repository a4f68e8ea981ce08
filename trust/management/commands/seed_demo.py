"""`manage.py seed_demo`: create (idempotently) the demo accounts and the public demo process."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from consensus.demo import seed_balance, seed_open_round, seed_round
from consensus.polls.demo import seed_poll
from deliberation.demo import seed_process
from stakeholders.demo import seed_people
from trust.demo import seed_moderation, seed_trust


class Command(BaseCommand):
    help = "Create the demo admin, facilitator, 30 stakeholders and the demo process (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        people = seed_people()
        demo = seed_process(people)
        seed_round(people, demo)
        seed_open_round(people, demo)
        seed_balance(demo, people)
        seed_poll(people, demo)
        seed_trust(people)
        seed_moderation(people)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Demo accounts (password: {settings.DEMO_PASSWORD!r}):")
        self.stdout.write(f"  admin        {people.admin.email}")
        self.stdout.write(f"  facilitator  {people.facilitator.email}")
        first, last = people.stakeholders[0].email, people.stakeholders[-1].email
        self.stdout.write(f"  stakeholders {first} … {last} (five per stakeholder group)")
        self.stdout.write(f"The demo process: {settings.SITE_URL}{demo.process.get_absolute_url()}")
