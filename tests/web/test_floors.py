"""The floors hold: import-linter's contracts fail on an upward import, and no template of a lower
floor loads a higher floor's tag library or URL namespace (docs/architecture.md)."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def floors() -> list[str]:
    """The floors, top first, as the import-linter contract in pyproject.toml lists them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "floors")
    return list(contract["layers"])


def lint_fixture(tmp_path: Path, upward: bool) -> subprocess.CompletedProcess[str]:
    """Run the floors contract on a fixture package `house` holding one package per floor, the
    lowest importing the highest when `upward`."""
    names = floors()
    for name in names:
        (tmp_path / "house" / name).mkdir(parents=True)
        (tmp_path / "house" / name / "__init__.py").write_text("")
    (tmp_path / "house" / "__init__.py").write_text("")
    below = "\n".join(f"import house.{lower}" for lower in names[1:])
    (tmp_path / "house" / names[0] / "uses.py").write_text(below + "\n")
    if upward:
        (tmp_path / "house" / names[-1] / "reaches_up.py").write_text(f"import house.{names[0]}\n")
    layers = ", ".join(f'"{name}"' for name in names)
    (tmp_path / ".importlinter.toml").write_text(
        '[tool.importlinter]\nroot_packages = ["house"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "floors"\ntype = "layers"\n'
        f'containers = ["house"]\nlayers = [{layers}]\n'
    )
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", ".importlinter.toml", "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_floors_contract_lists_every_app_top_first() -> None:
    assert floors() == ["trust", "consensus", "deliberation", "stakeholders", "record", "web"]


def test_imports_going_down_keep_the_contract(tmp_path: Path) -> None:
    result = lint_fixture(tmp_path, upward=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    result = lint_fixture(tmp_path, upward=True)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "house.web.reaches_up -> house.trust" in result.stdout
    assert "0 kept, 1 broken" in result.stdout


def tag_libraries() -> dict[str, str]:
    """Each template tag library's name → the app (floor) that defines it."""
    return {
        path.stem: app
        for app in floors()
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def url_namespaces() -> dict[str, str]:
    """Each URL namespace (`app_name`) → the app (floor) that defines it."""
    found = {}
    for app in floors():
        for path in (ROOT / app).glob("*urls.py"):
            match = re.search(r'^app_name = "(\w+)"', path.read_text(), re.MULTILINE)
            if match:
                found[match.group(1)] = app
    return found


LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
URL = re.compile(r"""{%\s*url\s+['"](\w+):""")


def template_violations(templates: Path) -> list[str]:
    """Every reference, in templates/<app>/, to a tag library or URL namespace of a higher floor."""
    order = floors()
    libraries, namespaces = tag_libraries(), url_namespaces()
    found = []
    for app in order:
        floor = order.index(app)
        for path in sorted((templates / app).rglob("*.html")):
            text = path.read_text()
            loaded = [name for load in LOAD.findall(text) for name in load.split()]
            for library in loaded:
                owner = libraries.get(library)
                if owner is not None and order.index(owner) < floor:
                    found.append(f"{path.relative_to(templates)} loads {library} ({owner})")
            for namespace in URL.findall(text):
                owner = namespaces.get(namespace)
                if owner is not None and order.index(owner) < floor:
                    found.append(f"{path.relative_to(templates)} links to {namespace}: ({owner})")
    return found


def test_no_template_reaches_a_higher_floor() -> None:
    assert template_violations(ROOT / "templates") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{% load i18n consensus_tags %}", "loads consensus_tags (consensus)"),
        ("{% url 'trust:profile' 'ana' %}", "links to trust: (trust)"),
    ],
)
def test_a_template_reaching_up_is_found(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "deliberation").mkdir()
    (tmp_path / "deliberation" / "page.html").write_text(f"<p>{text}</p>")
    (tmp_path / "consensus").mkdir()
    (tmp_path / "consensus" / "page.html").write_text(
        "{% load deliberation_tags %}{% url 'deliberation:process' 'p' %}"
    )
    assert template_violations(tmp_path) == [f"deliberation/page.html {expected}"]
