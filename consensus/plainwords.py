"""A round's result in plain words first: how many groups support it, who is least supportive."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.presentation import category_label


def _n(row: dict[str, Any]) -> int:
    """Ballots that took a position (support, accept or object): abstentions stand aside."""
    return int(row["support"] + row["accept"] + row["object"])


def _lives_with(row: dict[str, Any]) -> int:
    return int(row["support"] + row["accept"])


def group_sentence(row: dict[str, Any]) -> str:
    """'3 of 5 support it, 1 objects' for one category: counts, never the smoothed figure."""
    n = _n(row)
    if n == 0:
        if row["abstain"]:
            return ngettext(
                "%(a)d abstains; nobody took a position",
                "%(a)d abstain; nobody took a position",
                row["abstain"],
            ) % {"a": row["abstain"]}
        return _("no ballot")
    text = ngettext(
        "%(s)d of %(n)d supports it or can live with it",
        "%(s)d of %(n)d support it or can live with it",
        n,
    ) % {"s": _lives_with(row), "n": n}
    if row["object"]:
        text += ngettext(", %(x)d objects", ", %(x)d object", row["object"]) % {"x": row["object"]}
    return text


def _supports(row: dict[str, Any], minimum: float) -> bool:
    return row["p"] is not None and row["p"] >= minimum


def plain_summary(figures: dict[str, Any]) -> list[str]:
    """The sentences a first-time reader needs, before any formula (docs/design.md §3.4–3.5).

    A group "supports it" when it meets the round's group rule (its smoothed support is at least
    `group_support_min`), so these words and the designation never disagree.
    """
    params = figures["parameters"]
    groups = figures["groups"]
    voting = {key: row for key, row in groups.items() if _n(row) > 0}
    lines = []
    if voting:
        supporting = sum(
            1 for row in voting.values() if _supports(row, params["group_support_min"])
        )
        first = ngettext(
            "%(k)d of %(g)d group that took a position supports it",
            "%(k)d of %(g)d groups that took a position support it",
            len(voting),
        ) % {"k": supporting, "g": len(voting)}
        lowest = min(voting, key=lambda key: (voting[key]["p"], key))
        if len(voting) > 1:
            first += _("; %(group)s is the least supportive (%(detail)s)") % {
                "group": category_label(lowest),
                "detail": group_sentence(voting[lowest]),
            }
        lines.append(first + ".")
    else:
        lines.append(_("No ballot took a position."))
    ballots = int(figures["ballots"])
    abstaining = sum(int(row["abstain"]) for row in groups.values())
    lines.append(
        ngettext(
            "%(b)d ballot was counted, %(a)d of them abstaining.",
            "%(b)d ballots were counted, %(a)d of them abstaining.",
            ballots,
        )
        % {"b": ballots, "a": abstaining}
    )
    objections, still_open = int(figures["objections"]), int(figures["open_objections"])
    if objections or still_open:
        said = ngettext("%(x)d ballot objects", "%(x)d ballots object", objections) % {
            "x": objections
        }
        if still_open:
            said += ngettext(
                "; %(u)d objection is still open in the register",
                "; %(u)d objections are still open in the register",
                still_open,
            ) % {"u": still_open}
        else:
            said += _("; every objection has been answered")
        lines.append(said + ".")
    else:
        lines.append(_("Nobody objects."))
    missing = [
        category_label(key)
        for key in figures["expected_groups"]
        if _n(groups.get(key, {"support": 0, "accept": 0, "object": 0}))
        < params["quorum_per_group"]
    ]
    if missing:
        lines.append(
            ngettext(
                "Too few ballots from this expected group: %(groups)s.",
                "Too few ballots from these expected groups: %(groups)s.",
                len(missing),
            )
            % {"groups": ", ".join(missing)}
        )
    return lines
