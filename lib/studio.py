"""The one pipeline every page calls.

    validate -> screen the prompt -> apply the metaprompt -> call the engine
             -> screen the output -> save to history -> return images

No page reaches an engine except through :class:`Studio`, so the teacher's rules, the safety
layers and the history cannot be bypassed. Every failure is a :class:`lib.errors.StudioError`.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypeVar

from lib.engines import get_engine
from lib.engines.base import (
    Capabilities,
    EditRequest,
    Engine,
    GeneratedImage,
    GenerateRequest,
    Progress,
    VaryRequest,
    report_partial,
)
from lib.errors import BadInput, Blocked, NotConfigured, StoreUnavailable, StudioError
from lib.messages import Msg
from lib.pictures import BATCH, new_image_id
from lib.settings import Settings

log = logging.getLogger(__name__)

#: Saves one image the moment it exists and returns its id: ``save(image, owner=..., page=...)``.
SaveImage = Callable[..., str]
_Request = TypeVar("_Request", GenerateRequest, EditRequest, VaryRequest)


class Guard(Protocol):
    """The teacher's safety layers, as the pipeline calls them (see :mod:`lib.safety`)."""

    def screen_prompt(self, text: str, *, owner: str, sent: str | None = None) -> None: ...

    def screen_plan(self, things: Sequence[tuple[str, str, str]], *, owner: str, prompt: str = "") -> None: ...

    def check_quota(self, owner: str, n: int) -> None: ...

    def screen_images(self, images: Sequence[GeneratedImage], *, owner: str) -> None: ...

    def record_block(self, error: Blocked, *, owner: str, prompt: str = "") -> None: ...


@dataclass(frozen=True, kw_only=True)
class Result:
    """What a page gets back: the images and their gallery ids, in the same order.

    An id is ``""`` for a picture the store could not keep (``save_error`` says why): the page
    still shows it, with its download button, so nothing already made is lost.
    """

    images: list[GeneratedImage]
    ids: list[str]
    save_error: StoreUnavailable | None = None


def validate_prompt(prompt: str, caps: Capabilities, *, required: bool = True) -> str:
    """Strip the prompt and check it is there and fits the model; raise :class:`BadInput`."""
    text = (prompt or "").strip()
    if required and not text:
        raise BadInput("Please type what you would like to see first: the prompt is empty.", code="prompt_empty")
    if len(text) > caps.max_prompt_chars:
        raise BadInput(
            "Your prompt is {n} characters long; this model takes at most {most}. Please make it shorter.",
            params={"n": f"{len(text):,}", "most": f"{caps.max_prompt_chars:,}"}, code="prompt_too_long",
        )  # fmt: skip
    return text


def validate_size(size: str | None, caps: Capabilities) -> None:
    """Check that the model takes this size."""
    problem = caps.size_problem(size) if size is not None else None
    if problem:
        raise BadInput(problem)


def validate_count(n: int, caps: Capabilities, limit: int | None = None) -> None:
    """Check the number of images against the model's and the teacher's limits."""
    most = min(caps.max_images, limit) if limit else caps.max_images
    if not 1 <= n <= most:
        # Blame the rule that set the limit: the teacher's, or the model's.
        params = {"most": most, "n": n}
        if limit and limit < caps.max_images:
            raise BadInput(
                "You can ask for 1 to {most} pictures at a time: your teacher allows up to {most} (you asked for {n}).",
                params=params,
                code="count_teacher",
            )
        raise BadInput(
            "You can ask for 1 to {most} pictures at a time: this model makes up to {most} (you asked for {n}).",
            params=params,
            code="count_model",
        )


def validate_temperature(temperature: float | None) -> None:
    if temperature is not None and not 0.0 <= temperature <= 1.0:
        raise BadInput("Randomness must be between 0 and 1.", code="randomness_range")


def abuse_id(owner: str) -> str:
    """The id sent to a hosted provider for its abuse monitoring: stable for one browser, but
    neither its gallery id (which opens the gallery) nor anything that names the student."""
    return hashlib.sha256(f"edu4all-image-studio:{owner}".encode()).hexdigest()[:32]


class _Keeper:
    """The progress callback the Studio hands to engines: it saves each picture the moment it exists.

    Page callbacks still hear ``(done, total)`` and rough pictures; each finished picture is
    checked and saved at once (an engine that does not hand pictures over as it goes has them
    kept when it returns). A picture the output check refuses is hidden and the refusal raised
    at the end, after the safe ones are kept; once the store fails, the rest are shown unsaved.
    """

    def __init__(
        self,
        studio: Studio,
        inner: Progress | None,
        *,
        owner: str,
        page: str,
        typed: str,
        marks: Mapping[str, Any] | None = None,
    ) -> None:
        self._studio, self._inner = studio, inner
        self._owner, self._page, self._typed = owner, page, typed
        #: Kept in every picture's ``extra``: the run's batch id, and the page's tags.
        self._marks = dict(marks or {})
        self._kept: dict[int, tuple[GeneratedImage, str]] = {}
        self._made: list[GeneratedImage] = []  # keeps the engine's objects alive, so their ids stay unique
        self.refusal: Blocked | None = None
        self.save_error: StoreUnavailable | None = None

    def __call__(self, done: int, total: int) -> None:
        if self._inner is not None:
            self._inner(done, total)

    def partial(self, index: int, png: bytes) -> None:
        report_partial(self._inner, index, png)

    def finished(self, image: GeneratedImage) -> None:
        self.keep(image)

    def keep(self, made: GeneratedImage) -> tuple[GeneratedImage, str]:
        found = self._kept.get(id(made))
        if found is not None:
            return found
        image, image_id = replace(made, prompt_typed=self._typed, extra={**made.extra, **self._marks}), ""
        try:
            if self.refusal is None and self.save_error is None:
                image_id = self._studio._check_and_save(image, owner=self._owner, page=self._page)  # noqa: SLF001
        except Blocked as refusal:
            self.refusal = refusal
        except StoreUnavailable as error:
            self.save_error = error
        self._made.append(made)
        self._kept[id(made)] = (image, image_id)
        return image, image_id


class Studio:
    """The pipeline, bound to settings, a history and (optionally) the teacher's safety layers."""

    def __init__(
        self,
        settings: Settings,
        *,
        save: SaveImage | None = None,
        guard: Guard | None = None,
        metaprompt: Callable[[str, Capabilities], str] | None = None,
        max_images: int | None = None,
        engine_lookup: Callable[[str, Settings], Engine] = get_engine,
        store_check: Callable[[], None] | None = None,
        on_engine_error: Callable[..., None] | None = None,
    ) -> None:
        """``on_engine_error(error, owner=..., page=..., engine=...)`` hears every engine failure that
        is not a refusal (429, 500, timeouts...), so the teacher can count them."""
        self.settings = settings
        #: Raises StoreUnavailable when the store is known to be down: then no engine is called.
        self._store_check = store_check
        self._save = save
        self._guard = guard
        self._metaprompt = metaprompt
        self._max_images = max_images
        self._engine_lookup = engine_lookup
        self._on_engine_error = on_engine_error

    # -- helpers -----------------------------------------------------------------------------
    def engine(self, name: str) -> Engine:
        """The engine called ``name`` (raises :class:`NotConfigured` when it is not set up)."""
        engine = self._engine_lookup(name, self.settings)
        status = engine.status()
        if not status.configured:
            if not status.how_to_configure:
                raise NotConfigured(
                    "{engine} is not set up yet.", params={"engine": Msg(engine.label)}, code="not_set_up"
                )
            raise NotConfigured(
                "{engine} is not set up yet. {how}",
                params={"engine": Msg(engine.label), "how": Msg(status.how_to_configure)},
                code="not_set_up",
            )
        return engine

    def _compose(self, student_prompt: str, caps: Capabilities) -> str:
        """The prompt to send: the teacher's metaprompt first, for models that read instructions."""
        if self._metaprompt is None or not caps.reads_instructions:
            return student_prompt
        return self._metaprompt(student_prompt, caps)

    def _screen_prompt(self, text: str, owner: str, sent: str | None = None) -> None:
        """The local screen on the student's words; moderation on the whole text that is sent."""
        if self._guard is not None:
            self._guard.screen_prompt(text, owner=owner, sent=sent)

    def _screen_plan(self, engine: Engine, request: _Request, owner: str) -> None:
        """An engine that draws from a plan (the storybook) shows its words before it draws."""
        plan_words = getattr(engine, "plan_words", None)
        if self._guard is not None and callable(plan_words) and request.prompt:
            self._guard.screen_plan(plan_words(request.prompt), owner=owner, prompt=request.student_prompt)

    def _run(
        self,
        call: Callable[[_Request, Progress | None], list[GeneratedImage]],
        request: _Request,
        progress: Progress | None,
        *,
        owner: str,
        page: str,
        hosted: bool,
        tags: Mapping[str, Any] | None = None,
    ) -> Result:
        """Quota, the engine call, the output check and the history, in that order.

        The hourly quota guards the class's budget, so it counts pictures from hosted engines
        only: the offline engines cost nothing and a student may play with them freely.
        """
        typed = request.student_prompt
        if self._store_check is not None:
            self._store_check()
        if self._guard is not None and hosted:
            self._guard.check_quota(owner, request.n)
        started = time.perf_counter()
        # One batch id per run; ``tags`` (e.g. Compare's experiment id) ride along in ``extra``.
        marks = {BATCH: new_image_id(), **(tags or {})}
        keeper = _Keeper(self, progress, owner=owner, page=page, typed=typed, marks=marks)
        try:
            images = call(request, keeper)
        except Blocked as error:
            # The provider refused: the teacher's audit log must show it too.
            if self._guard is not None:
                self._guard.record_block(error, owner=owner, prompt=typed)
            raise
        except StudioError as error:
            if self._on_engine_error is not None:
                self._on_engine_error(
                    error, owner=owner, page=page, engine=getattr(getattr(call, "__self__", None), "name", "")
                )
            raise
        log.info("%s model=%s n=%d took %.2fs", page, request.model, request.n, time.perf_counter() - started)
        kept = [keeper.keep(image) for image in images]  # those the engine did not hand over as it went
        if keeper.refusal is not None:
            raise keeper.refusal
        return Result(images=[k[0] for k in kept], ids=[k[1] for k in kept], save_error=keeper.save_error)

    def _check_and_save(self, image: GeneratedImage, *, owner: str, page: str) -> str:
        """The output check, then the store: the gallery id, or ``""`` when the store is down."""
        if self._guard is not None:
            self._guard.screen_images([image], owner=owner)
        return self._save(image, owner=owner, page=page) if self._save else ""

    # -- the three operations ----------------------------------------------------------------
    def generate(
        self,
        *,
        prompt: str,
        engine: str,
        model: str,
        size: str,
        n: int = 1,
        quality: str = "auto",
        style: str | None = None,
        seed: int | None = None,
        temperature: float | None = None,
        owner: str = "anonymous",
        page: str = "create",
        progress: Progress | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> Result:
        """Text to image, through every step of the pipeline; ``tags`` are kept in each picture's ``extra``."""
        eng = self.engine(engine)
        caps = eng.capabilities(model)
        typed = validate_prompt(prompt, caps)
        validate_size(size, caps)
        validate_count(n, caps, self._max_images)
        validate_temperature(temperature)
        if quality not in caps.qualities:
            raise BadInput(
                "Quality must be one of: {qualities}.", params={"qualities": ", ".join(caps.qualities)}, code="quality"
            )
        sent = self._compose(typed, caps)
        self._screen_prompt(typed, owner, sent)
        request = GenerateRequest(
            prompt=sent,
            model=model,
            size=size,
            n=n,
            quality=quality,
            style=style,
            seed=seed if caps.has_seed else None,
            temperature=temperature if caps.has_seed else None,
            student_prompt=typed,
            safety_identifier=abuse_id(owner) if eng.hosted else None,
        )
        self._screen_plan(eng, request, owner)
        return self._run(eng.generate, request, progress, owner=owner, page=page, hosted=eng.hosted, tags=tags)

    def edit(
        self,
        *,
        image: bytes,
        mask: bytes | None,
        prompt: str,
        engine: str,
        model: str,
        n: int = 1,
        size: str | None = None,
        quality: str = "auto",
        seed: int | None = None,
        owner: str = "anonymous",
        page: str = "edit",
        progress: Progress | None = None,
        markup: bytes | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> Result:
        """Repaint the masked part of ``image`` (``mask`` follows the app's convention), or follow
        the student's sketch (``markup``, models with ``can_sketch``); never both."""
        eng = self.engine(engine)
        caps = eng.capabilities(model)
        if not caps.can_edit:
            raise BadInput(
                "{engine} with {model} cannot edit pictures. Choose another model or engine.",
                params={"engine": Msg(eng.label), "model": model},
                code="cannot_edit",
            )
        if markup is not None and (mask is not None or not caps.can_sketch):
            raise BadInput(
                "Paint where to change or sketch what you want: one of the two, on a model that can.",
                code="mask_or_sketch",
            )
        if markup is None and mask is None:
            raise BadInput("Paint over the part of the picture you want to change first.", code="mask_missing")
        typed = validate_prompt(prompt, caps)
        validate_count(n, caps, self._max_images)
        sent = self._compose(typed, caps)
        self._screen_prompt(typed, owner, sent)
        request = EditRequest(
            image=image,
            mask=mask,
            prompt=sent,
            model=model,
            size=size,
            n=n,
            quality=quality,
            seed=seed if caps.has_seed else None,
            student_prompt=typed,
            safety_identifier=abuse_id(owner) if eng.hosted else None,
            markup=markup,
        )
        self._screen_plan(eng, request, owner)
        return self._run(eng.edit, request, progress, owner=owner, page=page, hosted=eng.hosted, tags=tags)

    def vary(
        self,
        *,
        image: bytes,
        engine: str,
        model: str,
        n: int = 1,
        strength: float = 0.5,
        prompt: str = "",
        size: str | None = None,
        seed: int | None = None,
        temperature: float | None = None,
        owner: str = "anonymous",
        page: str = "variations",
        progress: Progress | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> Result:
        """Variations of ``image``; hosted engines need a prompt (they vary through edit)."""
        eng = self.engine(engine)
        caps = eng.capabilities(model)
        if not caps.can_vary:
            raise BadInput(
                "{engine} with {model} cannot make variations. Choose another model or engine.",
                params={"engine": Msg(eng.label), "model": model},
                code="cannot_vary",
            )
        typed = validate_prompt(prompt, caps, required=caps.vary_needs_prompt)
        validate_count(n, caps, self._max_images)
        validate_temperature(temperature)
        if not 0.0 <= strength <= 1.0:
            raise BadInput("Strength must be between 0 and 1.", code="strength_range")
        sent = ""
        if typed:
            sent = self._compose(typed, caps)
            self._screen_prompt(typed, owner, sent)
        request = VaryRequest(
            image=image,
            model=model,
            size=size,
            n=n,
            strength=strength,
            prompt=sent,
            seed=seed if caps.has_seed else None,
            temperature=temperature if caps.has_seed else None,
            student_prompt=typed,
            safety_identifier=abuse_id(owner) if eng.hosted else None,
        )
        self._screen_plan(eng, request, owner)
        return self._run(eng.vary, request, progress, owner=owner, page=page, hosted=eng.hosted, tags=tags)


__all__ = ["Result", "Studio", "StudioError"]
