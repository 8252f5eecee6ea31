"""Local diffusion: Stable Diffusion class models (default SD-Turbo) on the school's own computer.

Prompts never leave the machine, and seeds and temperature are real: temperature blends each
picture's starting noise between one shared draw and its own (see :func:`runtime.slerp`).

Everything heavy is optional: this module imports without torch and diffusers (``status()`` then
says how to install them), and the model weights must already be in the Hugging Face cache or
a folder named by ``DIFFUSERS_MODEL`` unless ``DIFFUSERS_ALLOW_DOWNLOAD`` is on. See
``docs/local-diffusion.md``.
"""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

from PIL import Image

from lib.engines.base import (
    Capabilities,
    EditRequest,
    Engine,
    EngineStatus,
    GeneratedImage,
    GenerateRequest,
    Operation,
    Progress,
    VaryRequest,
    report_finished,
)
from lib.engines.diffusers import locate, runtime
from lib.engines.diffusers.pictures import open_png, parse_size, paste_outside_mask, to_png, working_size
from lib.errors import BadInput, NotConfigured
from lib.imaging import to_diffusers_mask
from lib.messages import N_
from lib.settings import Settings

MAX_IMAGES = 4
#: CLIP reads 77 tokens (about 60 words); longer prompts are cut by the model.
MAX_PROMPT_CHARS = 400
#: Below this strength a variation would need more than 50 steps to change anything visible.
MIN_VARY_STRENGTH = 0.02


class _Tracker:
    """Turns per-image step callbacks into ``progress(done, total)`` over the whole request."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self._total = max(total, 1)
        self._done = 0

    def hook(self, index: int, per_image: int) -> runtime.StepHook:
        def on_step(step: int) -> None:
            self._report(index * per_image + min(step, per_image))

        return on_step

    def finish(self, index: int, per_image: int) -> None:
        self._report((index + 1) * per_image)

    def _report(self, done: int) -> None:
        done = min(done, self._total)
        if self._progress is not None and done > self._done:
            self._done = done
            self._progress(done, self._total)


def _seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(2**31)
    if seed < 0:
        raise BadInput("The seed must be a whole number of 0 or more.")
    return seed


def _temperature(value: float | None) -> float:
    """No temperature means independent pictures (1.0), as any image generator makes by default."""
    if value is None:
        return 1.0
    if not 0.0 <= value <= 1.0:
        raise BadInput("Randomness must be between 0 and 1.")
    return float(value)


def _count(n: int) -> int:
    if not 1 <= n <= MAX_IMAGES:
        raise BadInput(
            "You can ask for 1 to {most} pictures at a time with local diffusion (you asked for {n}).",
            params={"most": MAX_IMAGES, "n": n},
            code="count",
        )
    return n


class DiffusersEngine(Engine):
    """Text to image, inpainting and img2img with a diffusers pipeline loaded once per process."""

    name = "diffusers"
    label = "Local diffusion (on this computer)"
    hosted = False

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    # -- what the engine is ---------------------------------------------------------------------
    def _spec(self, model: str) -> str:
        return (model or "").strip() or self._settings.diffusers_model or locate.DEFAULT_MODEL

    def _source(self, model: str) -> locate.ModelSource:
        return locate.find_model(self._spec(model), allow_download=self._settings.diffusers_allow_download)

    def status(self) -> EngineStatus:
        """Installed packages and weights on disk, checked without importing torch."""
        missing = locate.missing_packages()
        if missing:
            return EngineStatus(
                configured=False,
                summary=f"Local diffusion is not installed on this computer (missing: {', '.join(missing)}).",
                how_to_configure=locate.INSTALL_HOW,
            )
        source = self._source("")
        if source.problem:
            return EngineStatus(
                configured=False,
                summary=f"The local picture model {source.spec} is not on this computer yet.",
                how_to_configure=source.problem,
            )
        where = str(source.folder) if source.folder else "downloaded on first use"
        return EngineStatus(
            configured=True, summary=f"Draws with {source.spec} on this computer ({where}); prompts stay here."
        )

    def models(self) -> list[str]:
        """The model set in DIFFUSERS_MODEL; any other cached model id or folder may be typed."""
        return [self._spec("")]

    def capabilities(self, model: str) -> Capabilities:
        """Sizes come from the model's own configs (native square, half, 4:3 both ways)."""
        geo = locate.geometry(self._source(model).folder)
        return Capabilities(
            sizes=locate.sizes_for(geo),
            max_images=MAX_IMAGES,
            # The engine draws all n itself: the temperature blend needs the whole set at once.
            images_per_call=MAX_IMAGES,
            max_prompt_chars=MAX_PROMPT_CHARS,
            qualities=locate.QUALITIES,
            can_edit=True,
            can_vary=True,
            has_seed=True,
            notes=(
                N_("Runs on this computer: prompts never leave it."),
                N_("Without a graphics card each picture takes from 10 seconds to a minute."),
            ),
        )

    # -- helpers ------------------------------------------------------------------------------
    def _load(self, model: str) -> tuple[str, runtime.Loaded, locate.Geometry]:
        if locate.missing_packages():
            raise NotConfigured(
                "Local diffusion is not installed on this computer. {how}",
                params={"how": locate.INSTALL_HOW},
                code="not_installed",
            )
        source = self._source(model)
        loaded = runtime.load(
            source,
            allow_download=self._settings.diffusers_allow_download,
            device_setting=self._settings.diffusers_device,
        )
        # A model downloaded on first use has a cache folder only now.
        folder = source.folder or locate.cached_snapshot(source.spec)
        return source.spec, loaded, locate.geometry(folder)

    def _image(
        self,
        pic: Image.Image,
        *,
        spec: str,
        operation: Operation,
        prompt: str,
        typed: str,
        seed: int,
        temperature: float | None,
        quality: str,
        started: float,
        extra: dict[str, Any],
    ) -> GeneratedImage:
        return GeneratedImage(
            png=to_png(pic),
            engine=self.name,
            model=spec,
            operation=operation,
            prompt_sent=prompt,
            prompt_typed=typed,
            size=f"{pic.width}x{pic.height}",
            seed=seed,
            temperature=temperature,
            quality=quality,
            elapsed_s=time.perf_counter() - started,
            extra=extra,
        )

    # -- the three operations -----------------------------------------------------------------
    def generate(self, request: GenerateRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Image i starts from ``slerp(noise(seed), noise(seed + i), temperature)``."""
        n = _count(request.n)
        seed, temperature = _seed(request.seed), _temperature(request.temperature)
        spec, loaded, geo = self._load(request.model)
        width, height = parse_size(request.size, geo.multiple)
        steps = locate.steps_for(spec, request.quality, self._settings.diffusers_steps)
        guidance = locate.guidance_for(spec)
        tracker = _Tracker(progress, n * steps)
        images = []
        for i in range(n):
            started = time.perf_counter()
            pic = runtime.text_to_image(
                loaded,
                prompt=request.prompt,
                width=width,
                height=height,
                steps=steps,
                guidance=guidance,
                shared_seed=seed,
                own_seed=seed + i,
                temperature=temperature,
                on_step=tracker.hook(i, steps),
            )
            tracker.finish(i, steps)
            extra = {"image_seed": seed + i, "index": i, "steps": steps, "guidance": guidance, "device": loaded.device}
            images.append(
                self._image(
                    pic, spec=spec, operation="generate", prompt=request.prompt, typed=request.student_prompt,
                    seed=seed, temperature=temperature, quality=request.quality, started=started, extra=extra,
                )
            )  # fmt: skip
            report_finished(progress, images[-1])
        return images

    def edit(self, request: EditRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """Inpaint at a size the model handles, then paste the original back outside the mask."""
        n = _count(request.n)
        seed = _seed(request.seed)
        original = open_png(request.image, "RGB", "picture")
        # The app's convention (255 = change) is already what diffusers wants; this also reads
        # RGBA canvas masks and makes soft strokes binary, so kept pixels are kept exactly.
        mask = to_diffusers_mask(request.required_mask(), original.size)
        if mask.getbbox() is None:
            raise BadInput("Paint over the part of the picture you want to change first: nothing is marked yet.")
        spec, loaded, geo = self._load(request.model)
        work = working_size(original.width, original.height, geo.native, geo.multiple)
        work_image = original.resize(work, Image.Resampling.LANCZOS)
        work_mask = mask.resize(work, Image.Resampling.BILINEAR)
        steps = locate.steps_for(spec, request.quality, self._settings.diffusers_steps)
        guidance = locate.guidance_for(spec)
        tracker = _Tracker(progress, n * steps)
        images = []
        for i in range(n):
            started = time.perf_counter()
            painted = runtime.inpaint(
                loaded,
                prompt=request.prompt,
                image=work_image,
                mask=work_mask,
                steps=steps,
                guidance=guidance,
                seed=seed + i,
                on_step=tracker.hook(i, steps),
            )
            tracker.finish(i, steps)
            pic = paste_outside_mask(original, painted, mask)
            extra = {"image_seed": seed + i, "index": i, "steps": steps, "guidance": guidance, "device": loaded.device}
            images.append(
                self._image(
                    pic, spec=spec, operation="edit", prompt=request.prompt, typed=request.student_prompt,
                    seed=seed, temperature=None, quality=request.quality, started=started, extra=extra,
                )
            )  # fmt: skip
            report_finished(progress, images[-1])
        return images

    def vary(self, request: VaryRequest, progress: Progress | None = None) -> list[GeneratedImage]:
        """img2img: noise the picture to ``strength``, then denoise it with the prompt (may be empty).

        img2img takes no starting noise, only a generator, so temperature here is all or nothing:
        0 gives every variation the same seed (identical pictures), above 0 each its own.
        """
        n = _count(request.n)
        seed, temperature = _seed(request.seed), _temperature(request.temperature)
        if not 0.0 <= request.strength <= 1.0:
            raise BadInput("Strength must be between 0 and 1.")
        source = open_png(request.image, "RGB", "picture")
        if request.strength < MIN_VARY_STRENGTH:
            # Nothing would change: give the picture back rather than spend a minute on 50 steps.
            started = time.perf_counter()
            return [
                self._image(
                    source, spec=self._spec(request.model), operation="vary", prompt=request.prompt,
                    typed=request.student_prompt, seed=seed, temperature=temperature, quality="auto",
                    started=started, extra={"unchanged": True, "index": i},
                )
                for i in range(n)
            ]  # fmt: skip
        spec, loaded, geo = self._load(request.model)
        if request.size:
            work = parse_size(request.size, geo.multiple)
        else:
            work = working_size(source.width, source.height, geo.native, geo.multiple)
        init = source.resize(work, Image.Resampling.LANCZOS)
        steps = max(locate.steps_for(spec, "auto", self._settings.diffusers_steps), math.ceil(1 / request.strength))
        while int(steps * request.strength) < 1:  # float rounding: diffusers would run no step at all
            steps += 1
        run_steps = min(int(steps * request.strength), steps)
        guidance = locate.guidance_for(spec)
        tracker = _Tracker(progress, n * run_steps)
        images = []
        for i in range(n):
            started = time.perf_counter()
            image_seed = seed + i if temperature > 0 else seed
            pic = runtime.image_to_image(
                loaded,
                prompt=request.prompt,
                image=init,
                strength=request.strength,
                steps=steps,
                guidance=guidance,
                seed=image_seed,
                on_step=tracker.hook(i, run_steps),
            )
            tracker.finish(i, run_steps)
            extra = {
                "image_seed": image_seed, "index": i, "steps": steps, "strength": request.strength,
                "guidance": guidance, "device": loaded.device,
            }  # fmt: skip
            images.append(
                self._image(
                    pic, spec=spec, operation="vary", prompt=request.prompt, typed=request.student_prompt,
                    seed=seed, temperature=temperature, quality="auto", started=started, extra=extra,
                )
            )  # fmt: skip
            report_finished(progress, images[-1])
        return images


def packages_installed() -> bool:
    """True when torch, diffusers and transformers are installed (checked without importing them)."""
    return not locate.missing_packages()


#: The registry offers this engine only where its packages are installed.
available = packages_installed


def create_engine(settings: Settings) -> Engine:
    """The registry's factory: importable and callable even where torch is not installed."""
    return DiffusersEngine(settings)
