"""Shared test helpers."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TESTDATA = SHARED / "testdata"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not available: {path}")
    return path


@pytest.fixture
def run_cli():
    """Run ``tilmash ARGS`` in-process; returns click's Result (stdout/stderr separate)."""
    from tilmash.cli import cli

    def run(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return run


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """An empty folder with a tilmash.toml naming glossary.yaml; cwd is set to it."""
    (tmp_path / "tilmash.toml").write_text(
        'source = "en"\ntargets = ["ru", "kk", "kk-Latn"]\nglossary = ["glossary.yaml"]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* with its bytes (to prove nothing changed)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


os.environ.setdefault("NO_COLOR", "1")

# Hypothesis: no per-example deadline (CI machines are shared and slow at times); in CI the
# examples are derandomized, so a run is reproducible and a failure can be replayed.
settings.register_profile("tilmash", deadline=None)
settings.register_profile("tilmash-ci", deadline=None, derandomize=True, database=None)
settings.load_profile("tilmash-ci" if os.environ.get("CI") else "tilmash")

# Keep argostranslate (imported by the model tests and by `translate` runs that look for a
# model) away from the real HOME: its data and config folders go to a throwaway folder.
_ARGOS_HOME = Path(tempfile.mkdtemp(prefix="tilmash-tests-home-"))
for _var, _sub in (("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
                   ("XDG_CACHE_HOME", "cache")):
    os.environ[_var] = str(_ARGOS_HOME / _sub)
os.environ["ARGOS_PACKAGES_DIR"] = str(_ARGOS_HOME / "data" / "argos-translate" / "packages")
