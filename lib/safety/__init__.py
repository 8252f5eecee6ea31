"""Child safety: the layers between a student's words and a picture on screen.

1. :mod:`lib.safety.screen`: the local prompt screen (no network). When it refuses, nothing is
   sent anywhere.
2. OpenAI's free moderation endpoint for the prompt and the finished pictures, when an OpenAI key
   is set (the SDK call lives in :mod:`lib.engines.moderation`).
3. The provider's own refusal: engines raise ``Blocked(stage="provider")``; the pipeline hands it
   to :meth:`Guard.record_block` so the teacher sees it in the audit log.
4. Optional: an offline nudity check of pictures (:mod:`lib.safety.nudity`).

Plus a per-student limit of pictures per hour (:mod:`lib.safety.ratelimit`).

When moderation cannot be reached, the guard **refuses** ("could not check") rather than letting
the request through: a school would rather a student wait a minute than see an unchecked picture,
and an outage of the moderation endpoint usually means the image endpoint is down too.

Every refusal is a :class:`lib.errors.Blocked` with a message a child can read, and a line in the
audit log (:mod:`lib.audit`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Protocol

from lib.engines.base import GeneratedImage
from lib.errors import Blocked, BlockStage, StudioError
from lib.rules import TeacherRules
from lib.safety.ratelimit import RateLimiter
from lib.safety.screen import PromptScreen, Verdict
from lib.settings import Settings

if TYPE_CHECKING:
    from lib.store import Store

log = logging.getLogger(__name__)

#: Reason category -> words a child understands.
TOPIC_WORDS_FOR_CHILDREN: dict[str, str] = {
    "violence": "hurting people or animals",
    "weapons": "weapons",
    "nudity": "people without clothes",
    "sexual": "grown-up things",
    "drugs": "drugs or alcohol",
    "self-harm": "people hurting themselves",
    "hate": "being unkind to groups of people",
    "rude words": "rude words",
    "teacher's list": "some of the words on your teacher's list",
}
OVERRIDE_MESSAGE = (
    "Your words try to change your teacher's rules, and the studio cannot do that. "
    "Please just describe the picture you would like."
)
UNREACHABLE_MESSAGE = (
    "The safety check could not be reached just now, so nothing was made. Please try again in a minute."
)


class AuditSink(Protocol):
    """Where refusals go: :class:`lib.store.records.AuditLog` (it scrubs keys and never raises)."""

    def record(
        self, *, owner: str, stage: str, category: str, prompt: str = "", detail: str = "", severity: str = "info"
    ) -> None: ...


class Moderator(Protocol):
    """What the guard needs from :class:`lib.engines.moderation.OpenAIModerator`."""

    def check_text(self, text: str) -> ModerationAnswer: ...

    def check_image(self, png: bytes) -> ModerationAnswer: ...


class ModerationAnswer(Protocol):
    """A moderation result: flagged or not, and which categories."""

    @property
    def flagged(self) -> bool: ...

    @property
    def categories(self) -> tuple[str, ...]: ...


def child_message(verdict: Verdict) -> str:
    """The sentence a student reads when the local screen refuses."""
    if verdict.category == "override":
        return OVERRIDE_MESSAGE
    topic = TOPIC_WORDS_FOR_CHILDREN.get(verdict.category, "some of these words")
    return f"Your teacher's rules don't allow pictures about {topic}. Please try different words."


class Guard:
    """The safety layers for one set of teacher's rules. :class:`lib.studio.Studio` calls it."""

    def __init__(
        self,
        rules: TeacherRules,
        *,
        audit: AuditSink,
        limiter: RateLimiter,
        moderator: Moderator | None = None,
        image_checker: Callable[[bytes], list[str]] | None = None,
    ) -> None:
        self.rules = rules
        self.audit = audit
        self.screen = PromptScreen(rules.disallow, word_list=rules.word_list) if rules.prompt_screen else None
        self.moderator = moderator if rules.moderation else None
        self.image_checker = image_checker if rules.image_check else None
        self.limiter = limiter

    # -- the audit log ---------------------------------------------------------------------------
    def _refuse(
        self, message: str, *, stage: BlockStage, category: str, owner: str, prompt: str = "", detail: str = ""
    ) -> Blocked:
        self.audit.record(owner=owner, stage=stage, category=category, prompt=prompt, detail=detail)
        return Blocked(message, stage=stage, detail=f"{category}: {detail}" if detail else category)

    def record_block(self, error: Blocked, *, owner: str, prompt: str = "") -> None:
        """Write a refusal raised elsewhere (the provider's) to the audit log."""
        self.audit.record(
            owner=owner, stage=error.stage, category=error.stage, prompt=prompt, detail=error.detail or ""
        )

    # -- the layers ------------------------------------------------------------------------------
    def check_quota(self, owner: str, n: int) -> None:
        """Count ``n`` pictures for ``owner`` this hour, or raise ``Blocked(stage="rate limit")``."""
        try:
            self.limiter.take(owner, n, self.rules.max_images_per_hour)
        except Blocked as error:
            self.record_block(error, owner=owner)
            raise

    def screen_prompt(self, text: str, *, owner: str) -> None:
        """Layers 1 and 2 on the student's words; raises :class:`Blocked`."""
        if self.screen is not None:
            verdict = self.screen.check(text)
            if not verdict.allowed:
                raise self._refuse(
                    child_message(verdict), stage="prompt screen", category=verdict.category, owner=owner,
                    prompt=text, detail=verdict.reason,
                )  # fmt: skip
        if self.moderator is not None:
            answer = self._moderate(partial(self.moderator.check_text, text), owner=owner, prompt=text)
            if answer.flagged:
                raise self._refuse(
                    "The safety check thinks these words could make a picture that is not right for school. "
                    "Please try different words.",
                    stage="moderation", category=", ".join(answer.categories) or "flagged", owner=owner, prompt=text,
                )  # fmt: skip

    def screen_images(self, images: Sequence[GeneratedImage], *, owner: str) -> None:
        """Layers 2 and 4 on finished pictures; raises :class:`Blocked` if any picture fails.

        The pictures are checked at once: one after another, a batch of four waited four
        moderation round trips (measured: the Compare page's 2 x 4 run took 2.4 times one call).
        """
        # The storybook engine only arranges emoji chosen from the screened words: nothing to check.
        todo = [image for image in images if image.engine != "storybook"]
        if not todo or (self.moderator is None and self.image_checker is None):
            return
        with ThreadPoolExecutor(max_workers=min(8, len(todo)), thread_name_prefix="screen") as pool:
            outcomes = list(pool.map(lambda image: self._check_picture(image, owner), todo))
        for refusal in outcomes:
            if refusal is not None:
                raise refusal

    def _check_picture(self, image: GeneratedImage, owner: str) -> Blocked | None:
        if self.moderator is not None:
            check = partial(self.moderator.check_image, image.png)
            answer = self._moderate(check, owner=owner, prompt=image.prompt_typed)
            if answer.flagged:
                return self._hidden(owner, image, ", ".join(answer.categories) or "flagged", "moderation")
        if self.image_checker is not None:
            found = self.image_checker(image.png)
            if found:
                return self._hidden(owner, image, "nudity", ", ".join(found))
        return None

    def _hidden(self, owner: str, image: GeneratedImage, category: str, detail: str) -> Blocked:
        return self._refuse(
            "A picture came out that is not right for school, so it was hidden. Please try different words.",
            stage="output check", category=category, owner=owner, prompt=image.prompt_typed, detail=detail,
        )  # fmt: skip

    def _moderate(self, call: Callable[[], ModerationAnswer], *, owner: str, prompt: str) -> ModerationAnswer:
        try:
            return call()
        except StudioError as error:
            # Fail closed: see the module docstring.
            log.warning("moderation unreachable: %s", error.detail or error)
            raise self._refuse(
                UNREACHABLE_MESSAGE, stage="moderation", category="could not check", owner=owner, prompt=prompt,
                detail=f"{type(error).__name__}: {error.detail or error}",
            ) from error  # fmt: skip


@lru_cache(maxsize=8)
def _moderator(settings: Settings) -> Moderator | None:
    """One moderation client per settings (it keeps its connections alive across reruns)."""
    from lib.engines.moderation import create_moderator

    return create_moderator(settings)


def build_guard(settings: Settings, rules: TeacherRules, store: Store) -> Guard:
    """The guard for these settings and rules: moderation when an OpenAI key is set, the nudity
    check when the teacher turned it on and ``nudenet`` is installed."""
    moderator: Moderator | None = None
    if rules.moderation and settings.openai_api_key:
        moderator = _moderator(settings)
    checker: Callable[[bytes], list[str]] | None = None
    if rules.image_check:
        from lib.safety import nudity

        if nudity.available():
            checker = nudity.shared_checker().exposed
        else:
            log.warning("the nudity check is on but nudenet is not installed: pip install nudenet")
    return Guard(
        rules, audit=store.audit, limiter=RateLimiter(store.counters), moderator=moderator, image_checker=checker
    )


def screen_text(text: str, rules: TeacherRules | None = None) -> Verdict:
    """The local screen's verdict on ``text`` for ``rules`` (default: the default rules)."""
    rules = rules or TeacherRules()
    return PromptScreen(rules.disallow, word_list=rules.word_list).check(text)


__all__ = ["Guard", "Moderator", "build_guard", "child_message", "screen_text"]
