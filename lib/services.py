"""The composition root: every part of the studio wired together in one place, once per rerun.

    settings -> store (process-wide) -> rules -> guard -> Studio
                                      -> engines, as the teacher's policy hands them out

Nothing else builds these parts, so a reader finds every dependency here. No Streamlit: the pages
get a :class:`Services` from :mod:`lib.ui.state`, and tests build one directly.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lib.engines import default_engine_name, engine_names, get_engine
from lib.engines.base import Engine
from lib.errors import StoreUnavailable
from lib.policy import restricted_lookup, studio_options
from lib.rules import TeacherRules
from lib.safety import Guard, build_guard
from lib.settings import Settings
from lib.store import Store, open_store
from lib.studio import Studio

log = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _open(
    data_dir: Path,
    database_url: str | None,
    storage_url: str | None,
    s3_endpoint_url: str | None,
    aws_region: str | None,
    aws_access_key_id: str | None,
    aws_secret_access_key: str | None,
    secrets: tuple[str, ...],
) -> Store:
    return open_store(
        data_dir=data_dir, database_url=database_url, storage_url=storage_url, s3_endpoint_url=s3_endpoint_url,
        aws_region=aws_region, aws_access_key_id=aws_access_key_id, aws_secret_access_key=aws_secret_access_key,
        secrets=secrets,
    )  # fmt: skip


def shared_store(settings: Settings) -> Store:
    """The process-wide store for these settings (opened, and migrated, once).

    A store that cannot be opened raises :class:`StoreUnavailable` and is tried again next time.
    """
    return _open(
        Path(settings.data_dir).resolve(), settings.database_url, settings.storage_url, settings.s3_endpoint_url,
        settings.aws_region, settings.aws_access_key_id, settings.aws_secret_access_key, settings.secrets,
    )  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Services:
    """One rerun's view of the studio: the settings, the store, the teacher's rules and the pipeline."""

    settings: Settings
    store: Store
    rules: TeacherRules
    #: The version the rules were read at; the Teacher page saves against it.
    rules_version: int
    guard: Guard
    studio: Studio
    #: Set when the store did not answer while these were built (the rules are then the defaults).
    store_problem: StoreUnavailable | None = field(default=None)

    def installed_engines(self) -> list[str]:
        """Every engine whose code imports here, allowed or not (the teacher chooses among them)."""
        return engine_names()

    def engine_names(self) -> list[str]:
        """Engines the teacher allows, among those whose code imports here."""
        names = engine_names()
        return [name for name in names if self.rules.engine_allowed(name)] or names

    def default_engine(self) -> str:
        """The engine a new session starts on."""
        names = self.engine_names()
        preferred = default_engine_name(self.settings)
        return preferred if preferred in names else names[0]

    def engine(self, name: str) -> Engine:
        """Engine ``name`` as students get it: only the models the teacher allowed.

        It may still be unconfigured (check ``status()``); the Studio refuses to run it then.
        """
        return restricted_lookup(self.rules)(name, self.settings)

    def raw_engine(self, name: str) -> Engine:
        """Engine ``name`` with every model, for the Teacher page's choices."""
        return get_engine(name, self.settings)


def build_services(settings: Settings, store: Store | None = None) -> Services:
    """Wire everything for one rerun: the rules are read once, the settings are the ones given."""
    store = store if store is not None else shared_store(settings)
    problem: StoreUnavailable | None = None
    try:
        versioned = store.rules.read()
        rules, version = versioned.rules, versioned.version
    except StoreUnavailable as error:
        # Nothing can be made while the store is down (the Studio checks it before any engine
        # call), so the defaults only serve to draw the pages.
        problem, rules, version = error, TeacherRules(), 0
    guard = build_guard(settings, rules, store)
    studio = Studio(
        settings, save=store.pictures.save, store_check=store.check_available, **studio_options(rules, guard)
    )
    return Services(
        settings=settings, store=store, rules=rules, rules_version=version, guard=guard, studio=studio,
        store_problem=problem,
    )  # fmt: skip
