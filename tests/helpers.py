"""Small builders the tests share: a Studio wired like the app's, on an embedded store."""

from __future__ import annotations

from typing import Any

from lib.policy import studio_options
from lib.rules import TeacherRules
from lib.safety import build_guard
from lib.settings import Settings
from lib.store import Store


def embedded_store(settings: Settings) -> Store:
    """The embedded store under the settings' data folder."""
    return Store.embedded(settings.data_dir)


def options_for(settings: Settings, rules: TeacherRules, store: Store | None = None) -> dict[str, Any]:
    """``Studio(settings, **options_for(...))``: the teacher's rules and safety layers, as the app wires them."""
    store = store or embedded_store(settings)
    return studio_options(rules, build_guard(settings, rules, store))


def guard_for(data_dir: Any, rules: TeacherRules, *, secrets: tuple[str, ...] = (), **kwargs: Any) -> Any:
    """A Guard on the embedded store under ``data_dir`` (its audit log and counters)."""
    from lib.safety import Guard
    from lib.safety.ratelimit import RateLimiter

    store = Store.embedded(data_dir, secrets=secrets)
    return Guard(rules, audit=store.audit, limiter=RateLimiter(store.counters), **kwargs)


def audit_lines(data_dir: Any, n: int = 50) -> list[dict[str, Any]]:
    """The newest ``n`` lines of the embedded store's audit log, oldest first."""
    return list(reversed(Store.embedded(data_dir).audit.latest(n)))


def guard_from(settings: Settings, rules: TeacherRules) -> Any:
    """``build_guard`` as the app calls it, on the embedded store under the settings' data folder."""
    return build_guard(settings, rules, embedded_store(settings))


def pictures_in(data_dir: Any) -> Any:
    """The pictures of the embedded store under ``data_dir`` (what the app opens with no URLs set)."""
    return Store.embedded(data_dir).pictures


def save_rules_in(data_dir: Any, rules: TeacherRules) -> None:
    """Save ``rules`` in the embedded store under ``data_dir``, over whatever version is there."""
    store = Store.embedded(data_dir)
    store.rules.save(rules, expected_version=store.rules.read().version)
