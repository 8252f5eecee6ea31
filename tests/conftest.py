"""Shared fixtures. Fixture modules of their own are registered here as plugins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins: list[str] = ["tests.fake_openai", "tests.store_servers"]

#: Settings the app reads from the environment; a developer's real values must not leak into tests.
_APP_PREFIXES = ("OPENAI_", "AZURE_", "STUDIO_", "TEACHER_", "DIFFUSERS_", "AWS_")


@pytest.fixture(autouse=True)
def isolated_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Every test starts with no keys, no ``.env`` and its own data folder."""
    for name in list(os.environ):
        if name.startswith(_APP_PREFIXES):
            monkeypatch.delenv(name)
    data_dir = tmp_path / "studio-data"
    monkeypatch.setenv("STUDIO_ENV_FILE", "")
    monkeypatch.setenv("STUDIO_DATA_DIR", str(data_dir))
    # Pictures are painted in the test's own process (tests/lib/test_workers.py runs the pool).
    monkeypatch.setenv("STUDIO_WORKERS", "0")
    return data_dir
