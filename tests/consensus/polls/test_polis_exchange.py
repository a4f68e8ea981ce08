"""Pol.is open data: import → export reproduces the counts and latest votes; bad folders fail
whole, naming the file and line."""

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from consensus.polls.models import Poll, PollParticipant, Statement, Vote
from deliberation.models import Process
from tests.factories import ProcessFactory

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "polis"
FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


def _read(folder: Path) -> dict[str, str]:
    return {name: (folder / name).read_text(encoding="utf-8") for name in FILES}


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _table(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _import(folder: Path, process: Process) -> int:
    out = io.StringIO()
    call_command("import_polis", str(folder), "--process", process.slug, stdout=out)
    return int(out.getvalue().strip().splitlines()[-1])


def _export(poll_id: int, folder: Path) -> dict[str, str]:
    call_command("export_polis", str(poll_id), str(folder), stdout=io.StringIO())
    return _read(folder)


def _counts(comments: str) -> dict[str, tuple[str, str, str]]:
    return {
        row["comment-id"]: (row["agrees"], row["disagrees"], row["moderated"])
        for row in _table(comments)
    }


def _latest(participants: str) -> dict[str, dict[str, str]]:
    rows = _table(participants)
    skip = {"participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree"}
    return {row["participant"]: {k: v for k, v in row.items() if k not in skip} for row in rows}


def _expected_from_votes(votes: str) -> tuple[Counter[tuple[str, str]], dict[str, dict[str, str]]]:
    """Independently of the code under test: every row counted, and the latest by timestamp."""
    every: Counter[tuple[str, str]] = Counter()
    latest: dict[str, dict[str, tuple[int, int, str]]] = {}
    for line, row in enumerate(_table(votes)):
        every[(row["comment-id"], row["vote"])] += 1
        mine = latest.setdefault(row["voter-id"], {})
        stamp = (int(row["timestamp"]), line)
        if row["comment-id"] not in mine or mine[row["comment-id"]][:2] < stamp:
            mine[row["comment-id"]] = (*stamp, row["vote"])
    return every, {p: {c: v[2] for c, v in votes.items()} for p, votes in latest.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("sample", ["15-per-hour-seattle", "vtaiwan.uberx"])
def test_samples_round_trip_exactly(sample: str, tmp_path: Path) -> None:
    process = ProcessFactory.create()
    original = _read(SAMPLES / sample)
    poll_id = _import(SAMPLES / sample, process)
    exported = _export(poll_id, tmp_path / "out")

    assert _counts(exported["comments.csv"]) == _counts(original["comments.csv"])
    # participants-votes.csv: the same participants and each one's latest vote per comment.
    assert _latest(exported["participants-votes.csv"]) == _latest(
        original["participants-votes.csv"]
    )
    assert Counter(map(tuple, csv.reader(io.StringIO(exported["votes.csv"])))) != Counter()
    assert len(_table(exported["votes.csv"])) == len(_table(original["votes.csv"]))
    summary = dict(row for row in csv.reader(io.StringIO(exported["summary.csv"])) if row)
    assert summary["comments"] == str(len(_table(original["comments.csv"])))
    # The map was computed at import: its participants are the ones with enough votes.
    poll = Poll.objects.get(pk=poll_id)
    assert poll.opinion_map.figures["participants"]


def _variant(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A small export with what real exports have and the samples may not: a statement never
    voted on, a participant with only passes, a moderated-out statement and re-votes."""
    comments = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1000,x,0,0,2,1,1,Roads first\n"
        '1001,x,1,0,1,1,1,"Parks, then roads"\n'
        "1002,x,2,1,0,0,0,Never voted on\n"
        "1003,x,3,2,1,0,-1,Moderated out\n"
    )
    votes = (
        "timestamp,datetime,comment-id,voter-id,vote\n"
        "2000,x,0,0,1\n"
        "2001,x,0,1,-1\n"
        "2002,x,1,1,1\n"
        "2500,x,0,1,1\n"  # a re-vote: 1 replaces −1 (both rows count in agrees/disagrees)
        "2003,x,1,0,-1\n"
        "2004,x,0,5,0\n"
        "2005,x,1,5,0\n"  # participant 5 only passes
        "2006,x,3,0,1\n"
    )
    folder = _write(
        tmp_path / "variant",
        {"comments.csv": comments, "votes.csv": votes, "summary.csv": "topic,Roads\n"},
    )
    return folder, {"comments.csv": comments, "votes.csv": votes}


@pytest.mark.django_db
def test_variant_round_trip(tmp_path: Path) -> None:
    process = ProcessFactory.create()
    folder, original = _variant(tmp_path)
    poll_id = _import(folder, process)
    exported = _export(poll_id, tmp_path / "out")
    every, latest = _expected_from_votes(original["votes.csv"])
    counts = _counts(exported["comments.csv"])
    for comment, (agrees, disagrees, _moderated) in counts.items():
        assert (int(agrees), int(disagrees)) == (every[(comment, "1")], every[(comment, "-1")])
    assert counts == _counts(original["comments.csv"])
    assert counts["2"] == ("0", "0", "0")
    exported_latest = {
        p: {c: v for c, v in row.items() if v != ""}
        for p, row in _latest(exported["participants-votes.csv"]).items()
    }
    assert exported_latest == latest
    assert exported_latest["5"] == {"0": "0", "1": "0"}
    assert exported_latest["1"]["0"] == "1"
    assert Statement.objects.get(poll_id=poll_id, external_id="3").moderated == -1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.pop("votes.csv"), "votes.csv: the file is missing"),
        (
            lambda f: f.update({"votes.csv": f["votes.csv"] + "3000,x,9,0,1\n"}),
            "votes.csv, line 10: unknown comment id 9",
        ),
        (
            lambda f: f.update({"votes.csv": f["votes.csv"] + "3000,x,0,0,yes\n"}),
            "votes.csv, line 10: vote is not a whole number: 'yes'",
        ),
        (
            lambda f: f.update({"votes.csv": f["votes.csv"] + "3000,x,0,0,2\n"}),
            "votes.csv, line 10: a vote is 1, -1 or 0, not 2",
        ),
        (
            lambda f: f.update(
                {"comments.csv": f["comments.csv"].replace("1002,x,2,1", "1002,x,two,1")}
            ),
            "comments.csv, line 4: comment-id is not a whole number",
        ),
    ],
)
def test_bad_folders_import_nothing(tmp_path: Path, change: object, message: str) -> None:
    process = ProcessFactory.create()
    folder, _ = _variant(tmp_path)
    files = {p.name: p.read_text() for p in folder.iterdir()}
    change(files)  # type: ignore[operator]
    bad = tmp_path / "bad"
    _write(bad, files)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _import(bad, process)
    assert not Poll.objects.exists()
    assert not PollParticipant.objects.exists()
    assert not Vote.objects.exists()


@pytest.mark.django_db
def test_unknown_process_and_poll(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No process"):
        call_command("import_polis", str(tmp_path), "--process", "nope")
    with pytest.raises(CommandError, match="No poll"):
        call_command("export_polis", "999999", str(tmp_path))
