"""Processes, participation, issues, comments, proposals and versions, glossary, resources."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from stakeholders.models import Affiliation, Attribution, StakeholderGroup
from stakeholders.validators import single_line

SEARCH_CONFIG = "english"


def _fraction(default: float) -> models.FloatField:
    return models.FloatField(
        default=default, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)]
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read")
    MEMBERS = "members", _("Members only")


class ProcessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CONCLUDED = "concluded", _("Concluded")


class ProcessQuerySet(models.QuerySet["Process"]):
    def active(self) -> "ProcessQuerySet":
        return self.filter(archived_at__isnull=True)


class Process(models.Model):
    """A multistakeholder process: a forum or working group with its own consensus parameters."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("short name (in addresses)"), max_length=60, unique=True)
    description = models.TextField(_("description"), max_length=20000, blank=True)
    expected_groups = ArrayField(
        models.CharField(max_length=24, choices=StakeholderGroup.choices),
        default=list,
        blank=True,
        verbose_name=_("stakeholder groups expected to take part"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProcessStatus.choices, default=ProcessStatus.OPEN
    )
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="facilitated_processes", blank=True
    )
    # Consensus parameters, docs/design.md §3 (defaults in brackets there).
    quorum_per_group = models.PositiveSmallIntegerField(
        _("quorum per group"),
        default=1,
        help_text=_("Non-abstaining ballots every expected group needs for a quorum."),
    )
    group_support_min = _fraction(0.6)
    minority_max_share = _fraction(0.2)
    strong_support_mean = _fraction(0.6)
    challenge_days = models.PositiveSmallIntegerField(
        _("challenge window (days)"), default=7, validators=[MaxValueValidator(90)]
    )
    # Participation support (docs/design.md §4): facilitators grant requests from this budget.
    support_budget = models.DecimalField(
        _("participation support budget"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("The total that facilitators may grant to participants as support."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="process_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProcessStatus.values), name="process_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:process", args=[self.slug])

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_open(self) -> bool:
        return self.status == ProcessStatus.OPEN and not self.archived

    @property
    def expected_group_labels(self) -> list[str]:
        return [str(StakeholderGroup(group).label) for group in self.expected_groups]

    @cached_property
    def facilitator_ids(self) -> frozenset[int]:
        """Ids of the facilitators: read with the process (selectors.process_get), else from the
        prefetch cache when there is one, else queried."""
        annotated = getattr(self, "facilitator_id_list", None)
        if annotated is not None:
            return frozenset(annotated)
        return frozenset(user.pk for user in self.facilitators.all())

    def remember_participant(self, user_id: int, participates: bool) -> None:
        """Note whether a user takes part, read with the process, for deliberation.rules."""
        cache = self.__dict__.setdefault("_participant_cache", {})
        cache[user_id] = participates


class Participation(models.Model):
    """A stakeholder taking part in a process, with the hat they wear there by default."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    affiliation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="one_participation_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.process}"


class IssueStatus(models.TextChoices):
    OPEN = "open", _("Open for discussion")
    CLOSED = "closed", _("Closed")


class Issue(models.Model):
    """An issue thread inside a process, with the framing text that starts the discussion."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    body = models.TextField(_("framing"), max_length=20000)
    status = models.CharField(max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            GinIndex(SearchVector("title", "body", config=SEARCH_CONFIG), name="issue_search"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:issue", args=[self.process.slug, self.pk])


class CommentState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by moderation")


class Comment(models.Model):
    """A threaded comment on an issue, or on one proposal version, made wearing one hat."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(
        "ProposalVersion",
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="replies", null=True, blank=True
    )
    # The top comment of the thread (None for a top comment), so a page of threads loads in one
    # query whatever their depth. Set once at creation; a reply never moves.
    thread_root = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments"
    )
    affiliation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("comment"), max_length=20000)
    attribution = models.CharField(
        _("show my name"), max_length=12, choices=Attribution.choices, default=Attribution.NAMED
    )
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.VISIBLE
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["issue", "created_at"], name="comment_thread"),
            GinIndex(SearchVector("body", config=SEARCH_CONFIG), name="comment_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(attribution__in=Attribution.values), name="comment_attribution_valid"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.issue_id}"


class CommentRevision(models.Model):
    """An earlier text of an edited comment: the edit history stays readable."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id}"


class Proposal(models.Model):
    """A proposed text for an issue; its content lives in immutable, numbered versions."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("deliberation:proposal", args=[self.issue.process.slug, self.pk])


class ProposalVersion(models.Model):
    """One revision of a proposal. Immutable once written: a database trigger refuses edits."""

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("text"), max_length=100000)
    change_summary = models.CharField(_("what changed"), max_length=1000, blank=True)
    plain_summary = models.TextField(_("plain-language summary"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="one_version_number"),
            models.CheckConstraint(condition=~Q(text=""), name="version_text_not_empty"),
        ]
        indexes = [
            GinIndex(
                SearchVector("text", "plain_summary", config=SEARCH_CONFIG),
                name="version_search",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proposal} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "deliberation:proposal_version",
            args=[self.proposal.issue.process.slug, self.proposal_id, self.number],
        )


class GlossaryTerm(models.Model):
    """A term with its aliases and a plain-language definition per language."""

    term = models.CharField(_("term"), max_length=80, unique=True, validators=[single_line])
    aliases = ArrayField(models.CharField(max_length=80), default=list, blank=True)
    definitions = models.JSONField(
        default=dict, help_text=_("Plain-language definition per language code.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term"]

    def __str__(self) -> str:
        return self.term

    def definition(self, language: str) -> str:
        """The definition in `language`, else English, else any."""
        base = language.split("-", maxsplit=1)[0]
        for code in (language, base, "en"):
            if self.definitions.get(code):
                return str(self.definitions[code])
        return next(iter(self.definitions.values()), "")


class ResourceKind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOL = "tool", _("Tool")
    FELLOWSHIP = "fellowship", _("Fellowship")
    FUNDING = "funding", _("Funding opportunity")


class Resource(models.Model):
    """An entry of the resource library for newcomers."""

    title = models.CharField(_("title"), max_length=200, validators=[single_line])
    url = models.URLField(_("address"), max_length=500)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    summary = models.TextField(_("summary"), max_length=2000)
    languages = ArrayField(models.CharField(max_length=8), default=list, blank=True)
    regions = ArrayField(
        models.CharField(max_length=32), default=list, blank=True, help_text=_("Empty: global.")
    )
    topics = ArrayField(models.CharField(max_length=60), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["url"], name="one_resource_per_url"),
        ]

    def __str__(self) -> str:
        return self.title


# The open-data bundle's and the invitations' models live beside their code; importing them here
# registers them.
from deliberation.invitations.models import Invitation  # noqa: E402, F401
from deliberation.opendata.models import OpenDataBundle  # noqa: E402, F401
