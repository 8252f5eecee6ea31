"""The engine registry: engine name -> factory taking :class:`lib.settings.Settings`.

Engine modules are imported lazily, so an optional engine whose packages are missing (the local
diffusion engine without torch) never breaks the others. A module may define ``available()``;
when it returns False the engine is not offered at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import lru_cache

from lib.engines.base import Engine
from lib.errors import NotConfigured
from lib.settings import Settings

#: name -> "module:factory". The factory takes Settings and returns an Engine.
_FACTORIES: dict[str, str] = {
    "storybook": "lib.engines.storybook:create_engine",
    "openai": "lib.engines.openai_engine:create_openai_engine",
    "azure": "lib.engines.openai_engine:create_azure_engine",
    "diffusers": "lib.engines.diffusers_engine:create_engine",
}

#: The order in which ``auto`` looks for a configured engine.
_AUTO_ORDER = ("openai", "azure", "storybook")


def _factory(name: str) -> Callable[[Settings], Engine] | None:
    target = _FACTORIES.get(name)
    if target is None:
        return None
    module_name, attr = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    available: Callable[[], bool] | None = getattr(module, "available", None)
    if available is not None and not available():
        return None
    factory: Callable[[Settings], Engine] | None = getattr(module, attr, None)
    return factory


def engine_names() -> list[str]:
    """Every registered engine whose code imports here (configured or not)."""
    return [name for name in _FACTORIES if _factory(name) is not None]


@lru_cache(maxsize=32)
def get_engine(name: str, settings: Settings) -> Engine:
    """The engine called ``name`` for these settings (cached: one instance per settings)."""
    factory = _factory(name)
    if factory is None:
        raise NotConfigured(
            "The image engine '{engine}' is not installed here. Choose another engine in the sidebar.",
            params={"engine": name},
            code="engine_not_installed",
        )
    return factory(settings)


def default_engine_name(settings: Settings) -> str:
    """``settings.engine`` unless it is ``auto``: then the first configured engine."""
    if settings.engine != "auto" and settings.engine in _FACTORIES:
        return settings.engine
    for name in _AUTO_ORDER:
        if name == "openai" and settings.openai_configured:
            return name
        if name == "azure" and settings.azure_configured:
            return name
    return "storybook" if _factory("storybook") is not None else "openai"
