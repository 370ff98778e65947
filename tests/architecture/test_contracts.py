"""The architecture contracts in pyproject.toml hold (they also run as `lint-imports` in make test)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_import_contract_is_kept():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (
        "Layers: accounts < training",
        "notifications imports no domain app",
        "No app imports config",
        "No production app imports demo",
    ):
        assert contract in result.stdout
    assert "0 broken" in result.stdout
