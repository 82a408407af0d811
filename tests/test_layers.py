"""The code's layers (README, Map of the code): the base imports no app and nothing of the top, and
no module imports another that imports it, at the top of a file or inside a function. Imports made
only for type hints (under TYPE_CHECKING) are not counted: they never run."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ("send_tracker", "actions", "governance", "kpis", "recommendations")
APPS = ("actions", "governance", "kpis", "recommendations")
TOP = ("send_tracker.overview", "send_tracker.sample_data", "send_tracker.urls", "send_tracker.api_urls")
BASE = (
    "send_tracker.accounts",
    "send_tracker.api",
    "send_tracker.alerts",
    "send_tracker.operations",
    "send_tracker.history",
    "send_tracker.checks",
    "send_tracker.numbers",
    "send_tracker.forms",
    "send_tracker.tables",
    "send_tracker.spreadsheets",
    "send_tracker.charts",
    "send_tracker.freshness",
    "send_tracker.settings",
    "send_tracker.middleware",
    "send_tracker.support_links",
    "send_tracker.accessibility",
    "send_tracker.error_pages",
    "send_tracker.context_processors",
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _without_type_checking(tree: ast.AST) -> None:
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [  # type: ignore[attr-defined]
                child
                for child in body
                if not (isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test))
            ]


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules that `name` imports when it runs."""
    tree = ast.parse(path.read_text())
    _without_type_checking(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    named: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            named.add(module)
            named.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
    return {module for module in named if module in modules and module != name}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in prefixes)


def test_the_base_imports_no_app_and_nothing_of_the_top():
    wrong = {
        name: sorted(target for target in targets if _within(target, APPS + TOP))
        for name, targets in _graph().items()
        if _within(name, BASE)
    }
    assert {name: targets for name, targets in wrong.items() if targets} == {}


def test_no_module_imports_one_that_imports_it():
    graph = _graph()
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    assert cycles == []
