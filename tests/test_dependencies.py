"""Every library the code imports is declared in pyproject.toml, and every declared one is pinned
in requirements.lock, which is what `make install` installs."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from packaging.requirements import Requirement

from app.settings import ROOT

OUR_PACKAGES = {"app", "facilitation", "bench", "tests", "alembic"}
FOLDERS = ("app", "facilitation", "bench", "tests", "alembic")


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    return [Requirement(line) for line in [*project["dependencies"], *extras["test"], *extras["dev"]]]


def imported_modules() -> dict[str, set[str]]:
    """Top-level module name -> files importing it, for modules outside the standard library."""
    found: dict[str, set[str]] = {}
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in OUR_PACKAGES and top != "__future__":
                        found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_library_is_declared():
    names = {normalised(requirement.name) for requirement in declared()}
    distributions = packages_distributions()
    undeclared = {
        module: sorted(files)[0] for module, files in imported_modules().items()
        if not any(normalised(d) in names for d in distributions.get(module, [module]))
    }
    assert undeclared == {}, "imported but not declared in pyproject.toml (module: a file importing it)"


def test_every_declared_library_is_pinned_in_the_lock_at_a_version_that_fits():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = {normalised(name): version for name, version in re.findall(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)", lock, re.M)}
    unfit = {
        requirement.name: pins.get(normalised(requirement.name), "missing") for requirement in declared()
        if normalised(requirement.name) not in pins or not requirement.specifier.contains(pins[normalised(requirement.name)])
    }
    assert unfit == {}, "pyproject.toml and requirements.lock disagree: run `make lock`"
    entries = re.split(r"\n(?=[A-Za-z0-9])", lock)[1:]  # one per package: its pin, hashes and comments
    assert len(entries) == len(pins) and all("--hash=sha256:" in entry for entry in entries), "a pin lacks its hashes"
