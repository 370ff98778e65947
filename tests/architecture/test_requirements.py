"""Production installs only what production imports; the locks are hashed and agree with each other."""

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every production package, as the import contracts name them (a new app is checked as soon as it is listed there).
PRODUCTION_APPS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
# Run only by the bench, with the development set installed.
DEVELOPMENT_ONLY = {ROOT / "demo" / "bench" / "locustfile.py"}
DEV_TOOLS = ["pytest", "playwright", "locust", "schemathesis", "hypothesis", "ruff", "import-linter", "flask", "gevent"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: str) -> dict[str, str]:
    return {normalized(name): version for name, version in PIN.findall((ROOT / "requirements" / lock).read_text())}


def test_every_pinned_package_carries_its_hashes():
    for lock in ("base.txt", "dev.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        entries = re.split(r"\n(?=[A-Za-z])", text.split("\n", 6)[-1])
        for entry in entries:
            if PIN.match(entry):
                assert "--hash=sha256:" in entry, f"{lock}: {entry.splitlines()[0]}"


def test_production_installs_none_of_the_test_bench_or_browser_tools():
    base = pins("base.txt")
    assert not [tool for tool in DEV_TOOLS if tool in base]
    assert "django-ninja" in pins("base.txt")
    assert re.search(r"^django-ninja==", (ROOT / "requirements" / "base.in").read_text(), re.MULTILINE)
    installs = [line for line in (ROOT / "Dockerfile").read_text().splitlines() if "pip install" in line]
    assert installs == ["RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt"]


def test_development_runs_the_versions_production_runs():
    base, dev = pins("base.txt"), pins("dev.txt")
    assert {name: dev.get(name) for name in base} == base
    assert [tool for tool in DEV_TOOLS if tool not in dev] == []


def test_every_package_production_code_imports_is_in_the_production_lock():
    distributions = importlib.metadata.packages_distributions()
    base = pins("base.txt")
    ours = set(PRODUCTION_APPS)
    missing = set()
    for app in PRODUCTION_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if path in DEVELOPMENT_ONLY:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in ours or top in sys.stdlib_module_names:
                        continue
                    if not any(normalized(dist) in base for dist in distributions.get(top, [])):
                        missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing
