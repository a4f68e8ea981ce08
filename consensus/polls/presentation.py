"""The opinion map as the page shows it: SVG shapes, and the same figures as tables."""

from typing import Any

from django.utils.translation import gettext as _

from consensus.polls.models import (
    OpinionMapResult,
    Poll,
    PollAttribution,
    PollParticipant,
    Statement,
)
from stakeholders.models import Attribution, StakeholderGroup
from stakeholders.presentation import group_region_label, public_name, sees_identity

SIZE = 400  # the SVG's viewBox is SIZE × SIZE
MARGIN = 16
# Colour-blind-safe colours (Okabe–Ito) for opinion groups; shape says the stakeholder group.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00")
SHAPES = {
    "": "circle",
    StakeholderGroup.GOVERNMENT: "square",
    StakeholderGroup.PRIVATE_SECTOR: "triangle",
    StakeholderGroup.CIVIL_SOCIETY: "diamond",
    StakeholderGroup.TECHNICAL_COMMUNITY: "cross",
    StakeholderGroup.ACADEMIA: "triangle-down",
    StakeholderGroup.INTERGOVERNMENTAL: "star",
}
R = 4.0


def _shape(kind: str, x: float, y: float) -> str:  # noqa: PLR0911 - one return per shape
    """An SVG path for one point (paths keep the template to one element)."""
    r = R
    if kind == "square":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}z"
    if kind == "triangle":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y + r:.1f}L{x - r:.1f} {y + r:.1f}z"
    if kind == "triangle-down":
        return f"M{x:.1f} {y + r:.1f}L{x + r:.1f} {y - r:.1f}L{x - r:.1f} {y - r:.1f}z"
    if kind == "diamond":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y:.1f}L{x:.1f} {y + r:.1f}L{x - r:.1f} {y:.1f}z"
    if kind == "cross":
        h = r / 2.5
        return (
            f"M{x - h:.1f} {y - r:.1f}h{2 * h:.1f}v{r - h:.1f}h{r - h:.1f}v{2 * h:.1f}"
            f"h{h - r:.1f}v{r - h:.1f}h{-2 * h:.1f}v{h - r:.1f}h{h - r:.1f}v{-2 * h:.1f}"
            f"h{r - h:.1f}z"
        )
    if kind == "star":
        return (
            f"M{x:.1f} {y - r:.1f}L{x + r * 0.3:.1f} {y - r * 0.3:.1f}L{x + r:.1f} {y:.1f}"
            f"L{x + r * 0.3:.1f} {y + r * 0.3:.1f}L{x:.1f} {y + r:.1f}L{x - r * 0.3:.1f} "
            f"{y + r * 0.3:.1f}L{x - r:.1f} {y:.1f}L{x - r * 0.3:.1f} {y - r * 0.3:.1f}z"
        )
    arc = f"a{r:.1f} {r:.1f} 0 1 0"
    return f"M{x - r:.1f} {y:.1f}{arc} {2 * r:.1f} 0{arc} {-2 * r:.1f} 0"


def map_context(poll: Poll, stored: OpinionMapResult, *, me: int | None) -> dict[str, Any]:
    """What polls/opinion_map.html needs: shapes, groups with sizes and representative
    statements, consensus statements, and per-statement GIC over both kinds of group."""
    figures = stored.figures
    points = figures["participants"]
    groups_of = dict(
        PollParticipant.objects.filter(poll=poll, pk__in=[p["id"] for p in points]).values_list(
            "id", "stakeholder_group"
        )
    )
    texts = dict(Statement.objects.filter(poll=poll).values_list("id", "text"))
    xs = [p["x"] for p in points] or [0.0]
    ys = [p["y"] for p in points] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = (SIZE - 2 * MARGIN) / span
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    shapes, mine = [], None
    for point in points:
        x = SIZE / 2 + (point["x"] - cx) * scale
        y = SIZE / 2 - (point["y"] - cy) * scale  # up is up
        kind = SHAPES.get(groups_of.get(point["id"], ""), "circle")
        shapes.append({"d": _shape(kind, x, y), "fill": COLOURS[point["group"] % len(COLOURS)]})
        if point["id"] == me:
            mine = {"x": round(x, 1), "y": round(y, 1), "group": point["group"] + 1}
    groups = [
        {
            "number": group["id"] + 1,
            "colour": COLOURS[group["id"] % len(COLOURS)],
            "size": len(group["members"]),
            "repness": [
                {**r, "text": texts.get(r["statement"], "")} for r in group.get("repness", [])
            ],
        }
        for group in figures["groups"]
    ]
    rows = [
        {**s, "text": texts.get(s["id"], "")}
        for s in figures["statements"]
        if s["id"] in texts and s["pa"] is not None
    ]
    legend = [
        {"label": StakeholderGroup(g).label if g else "", "d": _shape(SHAPES[g], 10, 10)}
        for g in SHAPES
        if g in set(groups_of.values())
    ]
    return {
        "size": SIZE,
        "shapes": shapes,
        "me": mine,
        "groups": groups,
        "consensus": [row for row in rows if row["consensus"]],
        "statement_rows": sorted(rows, key=lambda r: -(r["gic_opinion"] or 0)),
        "legend": legend,
    }


def author_label(statement: Statement, poll: Poll, viewer: Any, *, facilitates: bool) -> str:
    """Who wrote a statement, as the poll's attribution and the author's preference allow this
    viewer (a group-only poll shows everyone by group and region, as group-only rounds do)."""
    author = statement.author
    if author is None:
        return _("the facilitator") if statement.seed else ""
    if author.user is None:
        return _("Pol.is participant %s") % author.external_id
    group = author.stakeholder_group or None
    if poll.attribution == PollAttribution.GROUP_ONLY:
        if sees_identity(viewer, author.user, facilitates=facilitates):
            return public_name(
                author.user, viewer=viewer, group=group, attribution=Attribution.NAMED
            )
        return group_region_label(group, author.region or None)
    return public_name(author.user, viewer=viewer, group=group, facilitates=facilitates)
