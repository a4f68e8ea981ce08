"""One job per module: no module of the apps or the benchmarks is over 400 lines (tests aside)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "web", "record", "stakeholders", "deliberation", "consensus", "trust", "bench")
LIMIT = 400


def oversized(root: Path) -> list[str]:
    """Every .py file under the apps of `root` longer than LIMIT lines, with its length."""
    return [
        f"{path.relative_to(root).as_posix()}: {length} lines"
        for app in APPS
        for path in sorted((root / app).rglob("*.py"))
        if "migrations" not in path.parts and (length := len(path.read_text().splitlines())) > LIMIT
    ]


def test_no_module_is_over_400_lines() -> None:
    assert oversized(ROOT) == []


def test_a_long_module_is_found(tmp_path: Path) -> None:
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust" / "long.py").write_text("x = 1\n" * (LIMIT + 1))
    (tmp_path / "trust" / "migrations").mkdir()
    (tmp_path / "trust" / "migrations" / "0001_initial.py").write_text("x = 1\n" * 1000)
    (tmp_path / "consensus").mkdir()
    (tmp_path / "consensus" / "short.py").write_text("x = 1\n" * LIMIT)
    assert oversized(tmp_path) == ["trust/long.py: 401 lines"]
