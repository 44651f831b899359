"""The layers: core -> cities -> networks -> solutions, imports pointing down only.

Every import of ours in the application code, at module level or inside a function, is read
from the source; one that reaches a layer above its own fails here. config/ is the top: it may
import every app, and no app imports it. Modules stay short enough to read.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "cities", "networks", "solutions"]
TOP = "config"
MAX_LINES = 400


def application_modules():
    for package in [*LAYERS, TOP]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imported_packages(path):
    """(line, top-level package) for every absolute import in the module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module.split(".")[0]


def upward_imports(path):
    package = path.relative_to(ROOT).parts[0]
    if package == TOP:
        return []
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    ours = set(LAYERS) | {TOP}
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for line, name in imported_packages(path)
        if name in ours and name not in allowed
    ]


@pytest.mark.parametrize(
    "path", list(application_modules()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_module_imports_a_layer_above_its_own(path):
    assert upward_imports(path) == []


def test_the_check_finds_an_upward_import(tmp_path, monkeypatch):
    cities = tmp_path / "cities"
    cities.mkdir()
    module = cities / "bad.py"
    module.write_text("def f():\n    from solutions.models import Solution\n    import core.text\n")
    monkeypatch.setattr("tests.test_architecture.ROOT", tmp_path)

    assert upward_imports(module) == ["cities/bad.py:2 imports solutions"]


@pytest.mark.parametrize(
    "path", list(application_modules()), ids=lambda p: str(p.relative_to(ROOT))
)
def test_no_module_is_longer_than_a_few_screens(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES
