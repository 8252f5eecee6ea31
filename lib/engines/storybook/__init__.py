"""The offline storybook engine: a picture-book collage painted from the prompt, no network, no key.

It reads the prompt into a scene plan (:mod:`.planner`), then paints a sky, a ground, landmarks
and colour emoji glyphs (:mod:`.render`). It is honest about what it is (not AI), deterministic
(the same prompt, seed and temperature give byte-identical PNGs), and fast enough to be the
double for every page test.
"""

from __future__ import annotations

import io
import json
import random
import time
from typing import Any

from PIL import Image, PngImagePlugin

from lib.engines.base import (
    Capabilities,
    EditRequest,
    Engine,
    EngineStatus,
    GeneratedImage,
    GenerateRequest,
    Progress,
    VaryRequest,
    report_finished,
)
from lib.engines.storybook.editing import edit_image, vary_image
from lib.engines.storybook.glyphs import ATTRIBUTION
from lib.engines.storybook.planner import ScenePlan, plan_scene
from lib.engines.storybook.randomness import Blend, image_seed
from lib.engines.storybook.render import render
from lib.errors import BadInput
from lib.messages import N_
from lib.settings import Settings
from lib.workers import map_cpu

__all__ = ["ATTRIBUTION", "MODEL", "StorybookEngine", "create_engine", "parse_size", "render_prompt"]

MODEL = "storybook-1"
SIZES = ("256x256", "512x512", "768x768", "1024x1024", "768x512", "512x768", "1024x768", "768x1024", "1024x576",
         "576x1024")  # fmt: skip
MAX_PROMPT_CHARS = 4000
#: Text chunk with the plan's inputs, so that Vary can re-plan an image this engine made.
PLAN_CHUNK = "storybook"


def parse_size(size: str) -> tuple[int, int]:
    """``"768x512"`` -> (768, 512); any size from 64 to 2048 per side works, others are refused."""
    try:
        width, height = (int(part) for part in size.lower().split("x"))
    except ValueError:
        raise BadInput(f"The size '{size}' is not like 512x512. Choose one of: {', '.join(SIZES)}.") from None
    if not (64 <= width <= 2048 and 64 <= height <= 2048):
        raise BadInput(f"The size '{size}' is too small or too big. Choose one of: {', '.join(SIZES)}.")
    return width, height


def to_png(image: Image.Image, record: dict[str, Any] | None = None) -> bytes:
    """Encode ``image`` as PNG (deterministic: same pixels and record give the same bytes)."""
    info = None
    if record is not None:
        info = PngImagePlugin.PngInfo()
        info.add_text(PLAN_CHUNK, json.dumps(record, sort_keys=True, ensure_ascii=False))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, compress_level=1)
    return out.getvalue()


def render_prompt(
    prompt: str, *, width: int, height: int, seed: int, temperature: float = 0.0, index: int = 0
) -> tuple[Image.Image, ScenePlan]:
    """Plan and paint one picture: the core of generate, also used by the CLI and the benchmark."""
    plan = plan_scene(prompt)
    image = render(plan, width, height, Blend(seed, index, temperature))
    return image, plan


def paint_png(
    plan: ScenePlan, width: int, height: int, seed: int, index: int, temperature: float, record: dict[str, Any]
) -> bytes:
    """Paint and encode picture ``index`` of a plan: a plain function, so a worker process can run it."""
    return to_png(render(plan, width, height, Blend(seed, index, temperature)), record)


def _new_seed() -> int:
    return random.SystemRandom().randrange(0, 2**31 - 1)


class StorybookEngine(Engine):
    """The offline engine: see the module docstring."""

    name = "storybook"
    label = "Offline storybook engine"
    hosted = False

    def status(self) -> EngineStatus:
        """Always ready: it needs nothing but the Python packages."""
        return EngineStatus(configured=True, summary=N_("Ready, works offline (a picture-book collage, not AI)."))

    def models(self) -> list[str]:
        """One model."""
        return [MODEL]

    def capabilities(self, model: str) -> Capabilities:
        """Any size from 256 to 1024, up to 8 pictures, real seeds and temperature."""
        return Capabilities(
            sizes=SIZES,
            default_size="512x512",
            max_images=8,
            images_per_call=8,
            max_prompt_chars=MAX_PROMPT_CHARS,
            can_edit=True,
            can_vary=True,
            has_seed=True,
            notes=(
                N_("The offline storybook engine paints a collage from the words it knows; it is not AI."),
                ATTRIBUTION,
            ),
        )

    def plan_words(self, prompt: str) -> list[tuple[str, str, str]]:
        """What a picture of ``prompt`` would show, so the safety screen can refuse a drawing before
        it is drawn (see ``Studio._screen_plan``): per thing, the prompt's word that asked for it,
        the thing's name, and its glyph (which the screen reads as the emoji's name), or ""."""
        plan = plan_scene(prompt)
        out: list[tuple[str, str, str]] = []
        for item in [*plan.landmarks, *plan.items]:
            thing = (item.word or "", item.thing.name or "", item.thing.glyph or "")
            if any(thing) and thing not in out:
                out.append(thing)
        return out

    def generate(self, request: GenerateRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Paint ``request.n`` pictures; temperature blends a shared layout with each one's own."""
        width, height = parse_size(request.size)
        seed = request.seed if request.seed is not None else _new_seed()
        temperature = 0.0 if request.temperature is None else min(1.0, max(0.0, float(request.temperature)))
        plan = plan_scene(request.prompt)
        images: list[GeneratedImage] = []
        n = max(1, request.n)
        records = [{"prompt": request.prompt, "seed": seed, "temperature": temperature, "index": index,
                    "size": request.size, "operation": "generate", "image_seed": image_seed(seed, index)}
                   for index in range(n)]  # fmt: skip
        started = time.perf_counter()
        # The painting runs in the server's worker processes when it has them (lib.workers).
        calls = [(plan, width, height, seed, index, temperature, records[index]) for index in range(n)]
        pngs = map_cpu(paint_png, calls)
        elapsed = (time.perf_counter() - started) / n
        for index, png in enumerate(pngs):
            images.append(
                GeneratedImage(
                    png=png,
                    engine=self.name,
                    model=request.model or MODEL,
                    operation="generate",
                    prompt_sent=request.prompt,
                    prompt_typed=request.student_prompt or request.prompt,
                    size=f"{width}x{height}",
                    seed=image_seed(seed, index),
                    temperature=temperature,
                    quality=request.quality,
                    elapsed_s=elapsed,
                    extra=_extra(plan, index, seed),
                )
            )
            report_finished(progress, images[-1])
            if progress is not None:
                progress(index + 1, n)
        return images

    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Repaint inside the mask with what the prompt names; outside it, pixels stay identical."""
        seed = request.seed if request.seed is not None else _new_seed()
        plan = plan_scene(request.prompt)
        images: list[GeneratedImage] = []
        n = max(1, request.n)
        for index in range(n):
            started = time.perf_counter()
            picture, notes = edit_image(request.image, request.required_mask(), plan, Blend(seed, index, 1.0))
            extra = _extra(plan, index, seed)
            extra["notes"] = list(extra["notes"]) + notes
            images.append(
                GeneratedImage(
                    png=to_png(picture, {"operation": "edit", "prompt": request.prompt, "seed": seed}),
                    engine=self.name,
                    model=request.model or MODEL,
                    operation="edit",
                    prompt_sent=request.prompt,
                    prompt_typed=request.student_prompt or request.prompt,
                    size=f"{picture.width}x{picture.height}",
                    seed=image_seed(seed, index),
                    quality=request.quality,
                    elapsed_s=time.perf_counter() - started,
                    extra=extra,
                )
            )
            report_finished(progress, images[-1])
            if progress is not None:
                progress(index + 1, n)
        return images

    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Same subjects, new arrangement and palette, as far as ``strength`` says."""
        seed = request.seed if request.seed is not None else _new_seed()
        strength = min(1.0, max(0.0, float(request.strength)))
        images: list[GeneratedImage] = []
        n = max(1, request.n)
        for index in range(n):
            started = time.perf_counter()
            picture, plan, record = vary_image(request.image, request.prompt, strength, seed, index)
            prompt = str(record.get("prompt", request.prompt))
            images.append(
                GeneratedImage(
                    png=to_png(picture, record),
                    engine=self.name,
                    model=request.model or MODEL,
                    operation="vary",
                    prompt_sent=prompt,
                    prompt_typed=request.student_prompt or prompt,
                    size=f"{picture.width}x{picture.height}",
                    seed=image_seed(seed, index),
                    temperature=request.temperature,
                    elapsed_s=time.perf_counter() - started,
                    extra={
                        **(
                            _extra(plan, index, seed)
                            if plan
                            else {"drawn": [], "not_drawn": [], "notes": [], "batch_index": index, "batch_seed": seed}
                        ),
                        "strength": strength,
                    },  # fmt: skip
                )
            )
            report_finished(progress, images[-1])
            if progress is not None:
                progress(index + 1, n)
        return images


def _extra(plan: ScenePlan, index: int, seed: int) -> dict[str, Any]:
    """What the page needs besides the pixels: ``notes`` are codes with parameters (see :mod:`.notes`)."""
    return {"drawn": list(plan.drawn), "not_drawn": list(plan.not_drawn), "notes": [dict(n) for n in plan.notes],
            "plan": plan.summary(), "batch_index": index, "batch_seed": seed, "language": plan.language}  # fmt: skip


def create_engine(settings: Settings) -> Engine:
    """Registry factory: the storybook engine needs no settings."""
    del settings
    return StorybookEngine()
