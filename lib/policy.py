"""How the teacher's rules reach the pipeline and the pages.

:func:`studio_options` gives :class:`lib.studio.Studio` everything the rules decide: the guard
(safety layers), the metaprompt, the most pictures per request, and an engine lookup that only
hands out the engines and models the teacher allowed. Going through the Studio, a page cannot
skip any of it. :func:`rules_summary` says the same rules in words for students.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lib.engines import get_engine
from lib.engines.base import (
    Capabilities,
    EditRequest,
    Engine,
    EngineStatus,
    GeneratedImage,
    GenerateRequest,
    Progress,
    VaryRequest,
)
from lib.errors import BadInput, NotConfigured
from lib.messages import Msg
from lib.metaprompt import make_metaprompt
from lib.rules import TeacherRules
from lib.safety import Guard
from lib.settings import Settings

EngineLookup = Callable[[str, Settings], Engine]


class AllowedModelsOnly(Engine):
    """An engine that refuses the models the teacher did not allow (everything else passes through)."""

    def __init__(self, inner: Engine, rules: TeacherRules) -> None:
        self._inner = inner
        self._rules = rules
        self.name = inner.name
        self.label = inner.label
        self.hosted = inner.hosted

    def status(self) -> EngineStatus:
        """The wrapped engine's status."""
        return self._inner.status()

    def models(self) -> list[str]:
        """Only the allowed models (all of them when the teacher chose none)."""
        return [m for m in self._inner.models() if self._rules.model_allowed(self.name, m)] or list(
            self._rules.allowed_models.get(self.name, ())
        )

    def capabilities(self, model: str) -> Capabilities:
        """The model's capabilities, or :class:`BadInput` when the teacher did not allow it."""
        if not self._rules.model_allowed(self.name, model):
            allowed = ", ".join(self._rules.allowed_models.get(self.name, ()))
            raise BadInput(
                "Your teacher has not allowed the model {model}. You can use: {allowed}.",
                params={"model": model, "allowed": allowed},
                code="model_not_allowed",
            )
        return self._inner.capabilities(model)

    def generate(self, request: GenerateRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Delegates to the wrapped engine."""
        return self._inner.generate(request, progress)

    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Delegates to the wrapped engine."""
        return self._inner.edit(request, progress)

    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Delegates to the wrapped engine."""
        return self._inner.vary(request, progress)


def restricted_lookup(rules: TeacherRules, lookup: EngineLookup = get_engine) -> EngineLookup:
    """An engine lookup that refuses engines the teacher did not allow and wraps model choices."""

    def find(name: str, settings: Settings) -> Engine:
        if not rules.engine_allowed(name):
            allowed = ", ".join(rules.allowed_engines)
            raise NotConfigured(
                "Your teacher has not allowed the image engine '{engine}'. You can use: {allowed}.",
                params={"engine": name, "allowed": allowed},
                code="engine_not_allowed",
            )
        engine = lookup(name, settings)
        return AllowedModelsOnly(engine, rules) if rules.allowed_models.get(name) else engine

    return find


def studio_options(rules: TeacherRules, guard: Guard, lookup: EngineLookup = get_engine) -> dict[str, Any]:
    """Keyword arguments for :class:`lib.studio.Studio`: ``Studio(settings, **studio_options(...))``."""
    return {
        "guard": guard,
        "metaprompt": make_metaprompt(rules),
        "max_images": rules.max_images_per_request,
        "engine_lookup": restricted_lookup(rules, lookup),
    }


def rules_summary(rules: TeacherRules, *, moderation_possible: bool) -> list[str]:
    """The rules in sentences a student can read ("Your teacher's rules"), as :class:`Msg` templates."""
    if rules.disallow:
        topics = Msg("Pictures about these are not allowed: {topics}.", topics=tuple(rules.disallow))
    else:
        topics = Msg("Pictures about these are not allowed: nothing listed.")
    lines: list[str] = [
        topics,
        Msg(
            "You can ask for up to {per_request} pictures at a time and {per_hour} pictures an hour from online "
            "image engines (offline ones have no limit).",
            per_request=rules.max_images_per_request, per_hour=rules.max_images_per_hour,
        ),
    ]  # fmt: skip
    if rules.allowed_engines:
        lines.append(Msg("Image engines you can use: {engines}.", engines=", ".join(rules.allowed_engines)))
    checks = []
    if rules.prompt_screen:
        checks.append(Msg("Safety: your words are checked on this computer before anything is sent."))
    if rules.moderation and moderation_possible:
        checks.append(Msg("Safety: an online safety check looks at your words and the pictures."))
    if rules.image_check:
        checks.append(Msg("Safety: pictures are checked on this computer."))
    lines.extend(checks)
    if rules.metaprompt.strip():
        lines.append(
            Msg(
                "On online image engines, your teacher's instructions are added before your words "
                "(you can see them under each picture). The offline engines only draw your words."
            )
        )
    return lines
