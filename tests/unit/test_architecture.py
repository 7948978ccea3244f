"""The layering of style.md: web -> (letters, imports) -> campaign, never the reverse."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> list[tuple[str, str]]:
    found = []
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("campaign", ("flask", "flask_wtf", "web", "letters", "imports", "werkzeug")),
        ("letters", ("flask", "flask_wtf", "web", "werkzeug")),
        ("imports", ("flask", "flask_wtf", "web", "werkzeug")),
    ],
)
def test_lower_layers_do_not_import_upper_layers(package, forbidden):
    offenders = [
        f"{path} imports {module}" for path, module in imported_modules(package) if module.split(".")[0] in forbidden
    ]
    assert offenders == []
