"""Plain-words explanation of a round's computed designation, from its stored figures."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from stakeholders.models import StakeholderGroup


def _group_name(key: str) -> str:
    return str(StakeholderGroup(key).label) if key in StakeholderGroup.values else key


def _counted(row: dict[str, Any] | None) -> int:
    """Non-abstaining ballots of a category (0 when it has none)."""
    return 0 if row is None else int(row["support"] + row["accept"] + row["object"])


def _quorum(figures: dict[str, Any], params: dict[str, Any]) -> str:
    if figures["quorum_met"]:
        return ngettext(
            "Quorum met: every expected stakeholder group cast at least %(n)d supporting, "
            "accepting or objecting ballot.",
            "Quorum met: every expected stakeholder group cast at least %(n)d supporting, "
            "accepting or objecting ballots.",
            params["quorum_per_group"],
        ) % {"n": params["quorum_per_group"]}
    absent = [
        _group_name(key)
        for key in figures["expected_groups"]
        if _counted(figures["groups"].get(key)) < params["quorum_per_group"]
    ]
    return _("Quorum not met: too few ballots from %s.") % ", ".join(absent)


def _rule(figures: dict[str, Any], params: dict[str, Any]) -> str:
    designation = figures["designation"]
    if designation == "full_consensus":
        return _("Full consensus: the quorum is met and nobody objects.")
    if designation == "consensus":
        return _(
            "Consensus: the quorum is met, no objection is left open, every group's support is "
            "at least %(min).2f and objections are at most %(share).0f%% of ballots."
        ) % {"min": params["group_support_min"], "share": 100 * params["minority_max_share"]}
    if designation == "strong_support":
        return _(
            "Strong support but significant opposition: the groups' mean support is at least "
            "%(mean).2f, but a rule of consensus is not met."
        ) % {"mean": params["strong_support_mean"]}
    return _("Divergence: the groups' mean support is below %(mean).2f.") % {
        "mean": params["strong_support_mean"]
    }


def explain(figures: dict[str, Any]) -> list[str]:
    """One sentence per rule of docs/design.md §3, saying how this round fared against it."""
    params = figures["parameters"]
    taking_position = sum(_counted(v) for v in figures["groups"].values())
    lines = [
        _quorum(figures, params),
        ngettext(
            "%(x)d objection among the %(n)d ballots taking a position (%(share).0f%%); "
            "%(u)d still open.",
            "%(x)d objections among the %(n)d ballots taking a position (%(share).0f%%); "
            "%(u)d still open.",
            figures["objections"],
        )
        % {
            "x": figures["objections"],
            "n": taking_position,
            "share": 100 * figures["x_share"],
            "u": figures["open_objections"],
        },
    ]
    supported = {k: v for k, v in figures["groups"].items() if v["p"] is not None}
    if supported:
        lowest = min(supported, key=lambda k: supported[k]["p"])
        lines.append(
            _(
                "Each group weighs the same. The least supportive group is %(group)s (smoothed "
                "support %(p).2f); the mean over groups is %(mean).2f."
            )
            % {"group": _group_name(lowest), "p": supported[lowest]["p"], "mean": figures["s_mean"]}
        )
    lines.append(_rule(figures, params))
    return lines
