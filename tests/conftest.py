"""Shared fixtures. Fixture modules of their own are registered here as plugins."""

from __future__ import annotations

pytest_plugins: list[str] = ["tests.fake_openai"]
