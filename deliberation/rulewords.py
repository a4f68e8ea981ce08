"""A process's consensus rule in plain words, for its page (the figures stay in the API)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def threshold_sentence(quorum: int, support_min: float, minority_max: float) -> str:
    """The process page's consensus rule in plain words."""
    quorum_text = ngettext(
        "at least %(q)d ballot taking a position from every expected group",
        "at least %(q)d ballots taking a position from every expected group",
        quorum,
    ) % {"q": quorum}
    return _(
        "A proposal reaches consensus with %(quorum)s, no objection left unanswered, about "
        "%(support)d in 100 or more of every group able to live with it, and objections from no "
        "more than %(minority)d in 100 of ballots."
    ) % {
        "quorum": quorum_text,
        "support": round(100 * support_min),
        "minority": round(100 * minority_max),
    }
