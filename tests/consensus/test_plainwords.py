"""Results in plain words first: groups that support, the least supportive, counts that agree."""

from typing import Any

from consensus.plainwords import group_sentence, plain_summary
from deliberation.rulewords import threshold_sentence

PARAMS = {
    "quorum_per_group": 1,
    "group_support_min": 0.6,
    "minority_max_share": 0.2,
    "strong_support_mean": 0.6,
}


def _row(support: int, accept: int = 0, abstain: int = 0, object_: int = 0) -> dict[str, Any]:
    n = support + accept + object_
    p = (support + accept + 1) / (n + 2) if n else None
    return {"support": support, "accept": accept, "abstain": abstain, "object": object_, "p": p}


def _figures(groups: dict[str, dict[str, Any]], open_objections: int = 0) -> dict[str, Any]:
    return {
        "parameters": PARAMS,
        "groups": groups,
        "expected_groups": list(groups),
        "ballots": sum(
            r["support"] + r["accept"] + r["abstain"] + r["object"] for r in groups.values()
        ),
        "objections": sum(r["object"] for r in groups.values()),
        "open_objections": open_objections,
    }


def test_the_issue_s_example_reads_as_it_asks() -> None:
    groups = {
        key: _row(5)
        for key in ("government", "private_sector", "civil_society", "technical_community")
    }
    groups["intergovernmental"] = _row(4)
    groups["academia"] = _row(2, accept=1, abstain=1, object_=2)
    lines = plain_summary(_figures(groups, open_objections=1))
    assert lines[0] == (
        "5 of 6 groups that took a position support it; Academia is the least supportive "
        "(3 of 5 support it or can live with it, 2 object)."
    )
    assert lines[1] == "30 ballots were counted, 1 of them abstaining."
    assert lines[2] == "2 ballots object; 1 objection is still open in the register."


def test_one_supporter_reads_as_one_of_one_not_as_a_decimal() -> None:
    assert group_sentence(_row(1)) == "1 of 1 supports it or can live with it"
    assert group_sentence(_row(0, abstain=2)) == "2 abstain; nobody took a position"
    assert group_sentence(_row(0)) == "no ballot"


def test_missing_groups_and_answered_objections_are_said() -> None:
    groups = {"government": _row(2, object_=1), "academia": _row(0)}
    lines = plain_summary(_figures(groups))
    assert "every objection has been answered" in lines[2]
    assert lines[3] == "Too few ballots from this expected group: Academia."


def test_the_process_rule_in_plain_words() -> None:
    sentence = threshold_sentence(1, 0.6, 0.2)
    assert "at least 1 ballot taking a position from every expected group" in sentence
    assert "60 in 100" in sentence and "20 in 100" in sentence
    assert "0.6" not in sentence
