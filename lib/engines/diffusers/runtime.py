"""The torch side of the local diffusion engine: loading, starting noise and pipeline calls.

torch and diffusers are imported inside the functions, never at module level, so that the app
starts (and the other engines work) on computers without them, and so that their 7 s import is
paid only when a teacher actually uses this engine.

One pipeline per (model, device) is loaded per process and shared by every session. Diffusers
pipelines keep state while they run (the scheduler's timesteps), so each call holds that
pipeline's lock; img2img and inpainting pipelines are made with ``from_pipe`` and share the same
weights and the same lock. Calls are made one image at a time, so sessions take turns per image.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PIL import Image

from lib.engines.diffusers.locate import ModelSource, fetch_how, looks_like_path
from lib.errors import Blocked, EngineUnavailable, NotConfigured

if TYPE_CHECKING:
    import torch

#: Called after each denoising step with the number of steps done for the current image.
StepHook = Callable[[int], None]


@dataclass(eq=False)
class Loaded:
    """A loaded text-to-image pipeline, the device it is on and the lock guarding its use."""

    pipe: Any
    device: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    _derived: dict[str, Any] = field(default_factory=dict)

    def derived(self, kind: str) -> Any:
        """The ``img2img`` or ``inpaint`` pipeline sharing this one's weights (hold ``lock``)."""
        if kind not in self._derived:
            from diffusers import AutoPipelineForImage2Image, AutoPipelineForInpainting

            factory = AutoPipelineForInpainting if kind == "inpaint" else AutoPipelineForImage2Image
            pipe = factory.from_pipe(self.pipe)
            pipe.set_progress_bar_config(disable=True)
            self._derived[kind] = pipe
        return self._derived[kind]


_LOAD_LOCK = threading.Lock()
_LOADED: dict[tuple[str, str], Loaded] = {}


def pick_device(setting: str) -> str:
    """``auto`` -> CUDA, else Apple's MPS, else CPU; any other value is used as given."""
    import torch

    wanted = (setting or "auto").strip().lower()
    if wanted != "auto":
        if wanted.startswith("cuda") and not torch.cuda.is_available():
            raise NotConfigured(
                "DIFFUSERS_DEVICE is set to {device}, but this computer has no CUDA graphics card that "
                "torch can use. Set DIFFUSERS_DEVICE=auto or cpu.",
                params={"device": wanted},
                code="no_cuda",
            )
        return wanted
    if torch.cuda.is_available():
        return "cuda"
    if torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def load(source: ModelSource, *, allow_download: bool, device_setting: str) -> Loaded:
    """The pipeline for ``source`` on the chosen device, loaded on first use and then shared."""
    if source.problem:
        raise NotConfigured(source.problem)
    device = pick_device(device_setting)
    key = (source.target, device)
    with _LOAD_LOCK:
        loaded = _LOADED.get(key)
        if loaded is None:
            loaded = Loaded(pipe=_from_pretrained(source, allow_download=allow_download, device=device), device=device)
            # One model at a time: an SD model takes 5 GB, and a teacher who switches models does
            # not want the old one kept. Calls still running hold their own reference and finish.
            _LOADED.clear()
            _LOADED[key] = loaded
        return loaded


def loaded_models() -> list[tuple[str, str]]:
    """(model, device) of the pipelines this process holds (at most one)."""
    with _LOAD_LOCK:
        return list(_LOADED)


def _from_pretrained(source: ModelSource, *, allow_download: bool, device: str) -> Any:
    import torch

    diffusers: Any = importlib.import_module("diffusers")  # untyped: used as a dynamic module
    # Half precision halves the memory on a graphics card; CPUs and MPS are safer in float32.
    dtype = torch.float16 if device.startswith("cuda") else torch.float32
    try:
        pipe = diffusers.AutoPipelineForText2Image.from_pretrained(
            source.target, local_files_only=not allow_download, dtype=dtype
        )
    except (OSError, ValueError) as exc:  # LocalEntryNotFoundError is an OSError
        where = (
            f"The model folder {source.target} could not be loaded: a part of it is missing or damaged. "
            "Copy the whole folder again (it must hold model_index.json, unet, vae, text_encoder, "
            "tokenizer and scheduler)."
            if looks_like_path(source.spec)
            else f"The picture model {source.spec} is not (completely) on this computer. {fetch_how(source.spec)}"
        )
        raise NotConfigured(where, detail=f"{type(exc).__name__}: {exc}") from exc
    try:
        pipe = pipe.to(device)
    except (RuntimeError, AssertionError) as exc:
        raise EngineUnavailable(
            "The picture model could not be moved to the device '{device}'. Set DIFFUSERS_DEVICE=cpu to use the "
            "processor instead.",
            params={"device": device},
            code="device_failed",
            detail=f"{type(exc).__name__}: {exc}",
        ) from exc
    pipe.set_progress_bar_config(disable=True)
    return pipe


def noise(seed: int, shape: tuple[int, ...]) -> torch.Tensor:
    """Standard normal noise from a CPU generator: the same seed gives the same noise on any device."""
    import torch

    generator = torch.Generator(device="cpu").manual_seed(seed)
    return torch.randn(shape, generator=generator, dtype=torch.float32)


def slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    """Spherical blend of two noise tensors: t=0 gives ``a`` exactly, t=1 gives ``b`` exactly.

    A straight mix would shrink the noise (two independent draws averaged have a smaller norm),
    which the model has never seen; the spherical blend keeps it the size of real noise.
    """
    import torch

    if t <= 0.0:
        return a.clone()
    if t >= 1.0:
        return b.clone()
    a64, b64 = a.double().flatten(), b.double().flatten()
    cos = torch.clamp(torch.dot(a64, b64) / (a64.norm() * b64.norm()), -1.0, 1.0)
    theta = torch.arccos(cos)
    if float(theta) < 1e-6:  # (nearly) the same draw: nothing to blend
        return a.clone()
    sin = torch.sin(theta)
    mixed = (torch.sin((1.0 - t) * theta) / sin) * a64 + (torch.sin(t * theta) / sin) * b64
    return mixed.reshape(a.shape).to(a.dtype)


def _generator(seed: int) -> torch.Generator:
    import torch

    return torch.Generator(device="cpu").manual_seed(seed)


def _on_step(hook: StepHook) -> Callable[[Any, int, Any, dict[str, Any]], dict[str, Any]]:
    def callback(_pipe: Any, step: int, _timestep: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
        hook(step + 1)
        return kwargs

    return callback


def _run(loaded: Loaded, kind: str, **kwargs: Any) -> Image.Image:
    """Call one pipeline under the lock and turn its failures into errors the page can show."""
    import torch

    with loaded.lock:
        pipe = loaded.pipe if kind == "text2img" else loaded.derived(kind)
        try:
            out = pipe(output_type="pil", **kwargs)
        except torch.OutOfMemoryError as exc:
            raise EngineUnavailable(
                "This computer ran out of memory while drawing. Try a smaller size or fewer pictures.",
                detail=str(exc),
            ) from exc
        except (RuntimeError, ValueError, TypeError) as exc:
            raise EngineUnavailable(
                "The local picture model stopped with an error. Please try again; if it happens again, "
                "tell your teacher.",
                detail=f"{type(exc).__name__}: {exc}",
            ) from exc
    flagged = getattr(out, "nsfw_content_detected", None)
    if flagged and any(flagged):
        raise Blocked(
            "The picture model's own safety check hid this picture. Please try different words.",
            stage="provider",
        )
    image: Image.Image = out.images[0]
    return image


def text_to_image(
    loaded: Loaded,
    *,
    prompt: str,
    width: int,
    height: int,
    steps: int,
    guidance: float,
    shared_seed: int,
    own_seed: int,
    temperature: float,
    on_step: StepHook,
) -> Image.Image:
    """One picture whose starting noise is ``slerp(noise(shared), noise(own), temperature)``.

    Ancestral schedulers draw fresh noise at every step too; that noise comes from the shared
    seed unless ``temperature`` is 1, so t=0 gives the same picture and t=1 an independent one.
    """
    pipe = loaded.pipe
    shape = (1, pipe.unet.config.in_channels, height // pipe.vae_scale_factor, width // pipe.vae_scale_factor)
    start = slerp(noise(shared_seed, shape), noise(own_seed, shape), temperature)
    return _run(
        loaded,
        "text2img",
        prompt=prompt,
        width=width,
        height=height,
        num_inference_steps=steps,
        guidance_scale=guidance,
        latents=start.to(device=loaded.device, dtype=pipe.unet.dtype),
        generator=_generator(own_seed if temperature >= 1.0 else shared_seed),
        callback_on_step_end=_on_step(on_step),
    )


def inpaint(
    loaded: Loaded,
    *,
    prompt: str,
    image: Image.Image,
    mask: Image.Image,
    steps: int,
    guidance: float,
    seed: int,
    on_step: StepHook,
) -> Image.Image:
    """Repaint the white part of ``mask`` (already at the working size of ``image``)."""
    pipe = loaded.pipe
    width, height = image.size
    shape = (1, pipe.vae.config.latent_channels, height // pipe.vae_scale_factor, width // pipe.vae_scale_factor)
    return _run(
        loaded,
        "inpaint",
        prompt=prompt,
        image=image,
        mask_image=mask,
        width=width,
        height=height,
        strength=1.0,
        num_inference_steps=steps,
        guidance_scale=guidance,
        latents=noise(seed, shape).to(device=loaded.device, dtype=pipe.unet.dtype),
        generator=_generator(seed),
        callback_on_step_end=_on_step(on_step),
    )


def image_to_image(
    loaded: Loaded,
    *,
    prompt: str,
    image: Image.Image,
    strength: float,
    steps: int,
    guidance: float,
    seed: int,
    on_step: StepHook,
) -> Image.Image:
    """A variation of ``image``: noised to ``strength`` with the seed's noise, then denoised.

    ``steps * strength`` must be at least 1 (the caller clamps it), or diffusers runs no step.
    """
    return _run(
        loaded,
        "img2img",
        prompt=prompt,
        image=image,
        strength=strength,
        num_inference_steps=steps,
        guidance_scale=guidance,
        generator=_generator(seed),
        callback_on_step_end=_on_step(on_step),
    )
