"""The dependency direction of the apps (docs/architecture.md), checked over every module's imports.

An AST walk, not a run: every `import` and `from … import` of the project's own modules, at any depth
of the file (an import inside a function counts as much as one at the top), is held against the rule.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The apps' domain code (models, services, selectors, …), lowest first: each may import its own app and
# the apps before it, never one after it. `reporting` reads from every other app and nothing reads from it.
LAYERS = ["config", "navigators", "survivors", "casework", "dataprotection", "reporting"]
# The pages (views and urls) of the four case apps compose records of several of them, so they may
# import the domain code of any case app; never reporting, and never another app's pages.
CASE_APPS = ["navigators", "survivors", "casework", "dataprotection"]
# Consumers: they may import every app (seeds fills them all; the benchmarks also use the seeds).
CONSUMERS = {"seeds": {*LAYERS}, "bench": {*LAYERS, "seeds"}}
PAGE_MODULES = {"views", "urls"}
# The project's URL configuration and Celery app wire every app together; Django's entry points.
WIRING = {"config.urls", "config.celery", "config.wsgi"}
PROJECT = {*LAYERS, *CONSUMERS}


def modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in PROJECT or "migrations" in relative.parts:
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        yield name, path


def imported(path: Path, module: str) -> set[str]:
    """Every project module `path` imports, at any depth of the file."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in PROJECT}


def is_page(module: str) -> bool:
    return bool(PAGE_MODULES & set(module.split(".")[1:]))


def allowed(importer: str, target: str) -> bool:
    """May `importer` import `target`? (Both are dotted module names of the project.)"""
    app, target_app = importer.split(".")[0], target.split(".")[0]
    if importer in WIRING or app == target_app:
        return True
    if app in CONSUMERS:
        return target_app in CONSUMERS[app]
    if target_app in CONSUMERS or is_page(target):
        return False
    if app == "config":
        return False  # settings and middleware of the project know no app
    if is_page(importer) and app in CASE_APPS:
        return target_app in CASE_APPS or target_app == "config"
    return LAYERS.index(target_app) < LAYERS.index(app)


def violations() -> list[str]:
    found = []
    names = {name for name, _ in modules()}
    for module, path in modules():
        for target in sorted(imported(path, module)):
            if target not in names and target.rpartition(".")[0] in names:
                target = target.rpartition(".")[0]  # `from casework.access import cases_visible_to`
            if not allowed(module, target):
                found.append(f"{module} imports {target}")
    return sorted(set(found))


def test_no_module_imports_one_its_app_may_not():
    assert violations() == []


@pytest.mark.parametrize(
    ("importer", "target"),
    [
        ("casework.services", "reporting.headline"),  # nothing reads from reporting
        ("survivors.selectors", "casework.access"),  # survivors is below casework
        ("navigators.services", "casework.services"),  # navigators is the ground floor
        ("casework.views.cases", "reporting.models"),  # pages of the case apps neither
        ("casework.views.cases", "survivors.views"),  # pages never import another app's pages
        ("reporting.headline", "seeds.organisation"),  # the demo data is a consumer
    ],
)
def test_the_rule_refuses_an_upward_import(importer, target):
    assert not allowed(importer, target)


@pytest.mark.parametrize(
    ("importer", "target"),
    [
        ("casework.services", "survivors.services"),
        ("survivors.views", "casework.access"),  # a survivor's pages are reached through a case
        ("reporting.headline", "casework.models"),
        ("seeds.scale", "reporting.models"),
    ],
)
def test_the_rule_allows_a_downward_import(importer, target):
    assert allowed(importer, target)


def test_the_walk_sees_imports_inside_functions(tmp_path):
    source = tmp_path / "selectors.py"
    source.write_text("def f():\n    from casework.access import cases_visible_to\n")
    assert "casework.access" in imported(source, "survivors.selectors")
