"""Plain words for participation balance: dimension and category names, and alert messages."""

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consensus.balance.compute import SUPPRESSED, AlertKind
from consensus.models import SnapshotTrigger
from stakeholders.models import Region, StakeholderGroup

DIMENSIONS = ("stakeholder_group", "region", "development", "funding", "newcomer", "gender")
UNKNOWN = "unknown"
GENDER_FLOOR = 5
"""Gender is shown only for categories of at least this many people (docs/design.md §2)."""

DIMENSION_TITLES: dict[str, Promise] = {
    "stakeholder_group": gettext_lazy("Stakeholder group"),
    "region": gettext_lazy("Region"),
    "development": gettext_lazy("Developing or developed economy"),
    "funding": gettext_lazy("Participation funding"),
    "newcomer": gettext_lazy("Newcomers and returning participants"),
    "gender": gettext_lazy("Gender (self-described, shown in aggregate only)"),
}

_LABELS: dict[str, dict[str, Promise]] = {
    "stakeholder_group": {group.value: group.label for group in StakeholderGroup},
    "region": {region.value: region.label for region in Region},
    "development": {
        "developing": gettext_lazy("Developing economies"),
        "developed": gettext_lazy("Developed economies"),
    },
    "funding": {
        "self_funded": gettext_lazy("Self-funded"),
        "employer_funded": gettext_lazy("Employer-funded"),
        "sponsored": gettext_lazy("Sponsored"),
        "unfunded": gettext_lazy("Unfunded"),
    },
    "newcomer": {
        "newcomer": gettext_lazy("Newcomers (first process)"),
        "returning": gettext_lazy("Returning participants"),
    },
}

# Whole sentences, not "No {category} participant", so each language can get its grammar right.
_ABSENT: dict[str, dict[str, Promise]] = {
    "stakeholder_group": {
        "government": gettext_lazy("No government participant has taken part yet."),
        "private_sector": gettext_lazy("No private-sector participant has taken part yet."),
        "civil_society": gettext_lazy("No civil society participant has taken part yet."),
        "technical_community": gettext_lazy(
            "No technical community participant has taken part yet."
        ),
        "academia": gettext_lazy("No academic participant has taken part yet."),
        "intergovernmental": gettext_lazy("No intergovernmental participant has taken part yet."),
    },
    "development": {
        "developing": gettext_lazy("Nobody from a developing economy has taken part yet."),
        "developed": gettext_lazy("Nobody from a developed economy has taken part yet."),
    },
    "funding": {
        "self_funded": gettext_lazy("No self-funded participant has taken part yet."),
        "employer_funded": gettext_lazy("No employer-funded participant has taken part yet."),
        "sponsored": gettext_lazy("No sponsored participant has taken part yet."),
        "unfunded": gettext_lazy("No unfunded participant has taken part yet."),
    },
    "newcomer": {
        "newcomer": gettext_lazy("No newcomer has taken part yet."),
        "returning": gettext_lazy("No returning participant has taken part yet."),
    },
}


def dimension_title(dimension: str) -> str:
    return str(DIMENSION_TITLES.get(dimension, dimension))


def category_label(dimension: str, category: str) -> str:
    """The name of a category in the active language (gender categories are people's own words)."""
    if category == SUPPRESSED:
        return ngettext(
            "Fewer than %(n)d person each (together)",
            "Fewer than %(n)d people each (together)",
            GENDER_FLOOR,
        ) % {"n": GENDER_FLOOR}
    if category == UNKNOWN:
        return _("Not known")
    label = _LABELS.get(dimension, {}).get(category)
    return str(label) if label is not None else category


def percent(value: float) -> str:
    """A share as a whole percentage in the active locale's number format."""
    return "%s%%" % number_format(round(value * 100), 0)  # noqa: UP031 - a literal percent sign


def fair_share(categories: Mapping[str, Mapping[str, Any]]) -> float | None:
    """1/|K| as the pure module used it: share / ratio of any category that has a share."""
    for figures in categories.values():
        if figures["share"] > 0 and figures["ratio"] > 0:
            return float(figures["share"]) / float(figures["ratio"])
    return 1.0 / len(categories) if categories else None


def alert_message(
    dimension: str, kind: str, category: str, categories: Mapping[str, Mapping[str, Any]]
) -> str:
    """The alert in plain words, in the active language.

    Before: ``categories`` is the dimension's ``{category: {contributions, participants, share,
    ratio}}`` that raised the alert. After: one sentence naming the category and, for a share
    alert, its share of contributions (and the fair share it falls short of).
    """
    label = category_label(dimension, category)
    if kind == AlertKind.ABSENT:
        sentence = _ABSENT.get(dimension, {}).get(category)
        if sentence is not None:
            return str(sentence)
        if dimension == "region":
            return _("Nobody from %(region)s has taken part yet.") % {"region": label}
        return _("Nobody in “%(category)s” has taken part yet.") % {"category": label}
    share = float(categories.get(category, {}).get("share", 0.0))
    if kind == AlertKind.DOMINANT:
        return _("%(category)s: %(share)s of the contributions counted here, more than half.") % {
            "category": label,
            "share": percent(share),
        }
    fair = fair_share(categories) or 0.0
    return _(
        "%(category)s: only %(share)s of the contributions counted here, less than half of a "
        "fair share (%(fair)s)."
    ) % {"category": label, "share": percent(share), "fair": percent(fair)}


def trigger_label(trigger: str) -> str:
    return str(SnapshotTrigger(trigger).label) if trigger in SnapshotTrigger.values else trigger


def with_messages(dimensions: Mapping[str, Any]) -> dict[str, Any]:
    """The stored docs/design.md §11 shape with every alert message re-worded in the active
    language."""
    return {
        name: {
            **value,
            "alerts": [
                {
                    **alert,
                    "message": alert_message(
                        name, alert["kind"], alert["category"], value["categories"]
                    ),
                }
                for alert in value["alerts"]
            ],
        }
        for name, value in dimensions.items()
    }
