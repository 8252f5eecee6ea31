"""Where the local model is and what it can do, found without importing torch.

``DIFFUSERS_MODEL`` names either a folder (a diffusers ``save_pretrained`` folder, with a
``model_index.json``) or a Hugging Face model id that is looked up in the local Hugging Face
cache. Nothing here touches the network.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_MODEL = "stabilityai/sd-turbo"

#: The packages the engine imports; torch alone is 750 MB, so they are an optional extra.
REQUIRED_PACKAGES = ("torch", "diffusers", "transformers")

INSTALL_HOW = (
    "Install it on this computer with: pip install -r requirements-local.txt "
    "(about 1.3 GB; see docs/local-diffusion.md), then restart the app."
)

#: Steps per quality. Turbo models are distilled to draw in 1 to 4 steps without guidance;
#: ordinary Stable Diffusion models need 15 to 40 steps with guidance.
_TURBO_STEPS = {"auto": 1, "low": 1, "medium": 2, "high": 4}
_FULL_STEPS = {"auto": 25, "low": 15, "medium": 25, "high": 40}
QUALITIES = ("auto", "low", "medium", "high")


@dataclass(frozen=True, kw_only=True)
class ModelSource:
    """A model setting, resolved: a folder on disk, a cached hub model, or a problem to explain."""

    spec: str
    #: The folder to read configs from (the folder itself, or the cached snapshot); None if not on disk.
    folder: Path | None
    #: What to hand to ``from_pretrained``: the folder for local folders, else the hub id.
    target: str
    #: Why the model cannot be used, in words a teacher can act on; None when it can.
    problem: str | None = None


@dataclass(frozen=True, kw_only=True)
class Geometry:
    """Picture sizes a model handles: its native side and the multiple every side must be."""

    native: int = 512
    multiple: int = 64


def missing_packages() -> list[str]:
    """The required packages that are not installed (checked without importing them)."""
    return [name for name in REQUIRED_PACKAGES if importlib.util.find_spec(name) is None]


def looks_like_path(spec: str) -> bool:
    """True when ``spec`` names a folder rather than a hub id like ``stabilityai/sd-turbo``."""
    if spec.startswith(("/", "~", ".", "\\")) or "\\" in spec or spec.count("/") > 1:
        return True
    return Path(spec).expanduser().exists()


def fetch_how(repo_id: str) -> str:
    """How a teacher gets the weights of ``repo_id`` onto this computer."""
    return (
        f"While online, run: hf download {repo_id} (older versions: huggingface-cli download {repo_id}); "
        "it lands in the Hugging Face cache (~/.cache/huggingface/hub). Or copy a model folder to this "
        "computer and set DIFFUSERS_MODEL=/path/to/that/folder. Or allow downloads with "
        "DIFFUSERS_ALLOW_DOWNLOAD=1 to fetch it on first use."
    )


def find_model(spec: str, *, allow_download: bool) -> ModelSource:
    """Resolve a model setting to something ``from_pretrained`` can load, or say what is missing."""
    spec = (spec or DEFAULT_MODEL).strip()
    if looks_like_path(spec):
        folder = Path(spec).expanduser().resolve()
        if not folder.is_dir():
            problem = (
                f"The model folder {folder} (set in DIFFUSERS_MODEL) does not exist. Copy a diffusers "
                "model folder there, or set DIFFUSERS_MODEL to the folder where it is."
            )
            return ModelSource(spec=spec, folder=None, target=str(folder), problem=problem)
        if not (folder / "model_index.json").is_file():
            problem = (
                f"The folder {folder} (set in DIFFUSERS_MODEL) has no model_index.json, so it is not a "
                "diffusers model folder. Point DIFFUSERS_MODEL at the folder that holds model_index.json."
            )
            return ModelSource(spec=spec, folder=None, target=str(folder), problem=problem)
        return ModelSource(spec=spec, folder=folder, target=str(folder))
    snapshot = cached_snapshot(spec)
    if snapshot is None and not allow_download:
        problem = f"The picture model {spec} is not on this computer yet. {fetch_how(spec)}"
        return ModelSource(spec=spec, folder=None, target=spec, problem=problem)
    return ModelSource(spec=spec, folder=snapshot, target=spec)


def cached_snapshot(repo_id: str) -> Path | None:
    """The cached snapshot folder of a hub model, if its ``model_index.json`` is in the cache."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    try:
        found = try_to_load_from_cache(repo_id, "model_index.json")
    except ValueError:  # not a valid repo id: nothing of it can be cached
        return None
    return Path(found).parent if isinstance(found, str) else None


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=16)
def geometry(folder: Path | None) -> Geometry:
    """Native size and size multiple from the model's UNet and VAE configs (SD defaults if unknown).

    The VAE shrinks each side by ``2 ** (blocks - 1)`` and the UNet halves it again at each but its
    last down block, so every side must be a multiple of both factors multiplied.
    """
    if folder is None:
        return Geometry()
    unet = _read_json(folder / "unet" / "config.json")
    vae = _read_json(folder / "vae" / "config.json")
    vae_blocks = len(vae.get("block_out_channels") or (0, 0, 0, 0))
    vae_scale = 2 ** max(vae_blocks - 1, 0)
    down = len(unet.get("down_block_types") or (0, 0, 0, 0))
    sample = unet.get("sample_size")
    if not isinstance(sample, int):
        return Geometry()
    return Geometry(native=sample * vae_scale, multiple=vae_scale * 2 ** max(down - 1, 0))


def sizes_for(geo: Geometry) -> tuple[str, ...]:
    """Native square first, then half size, then a landscape and a portrait at 4:3."""
    m = geo.multiple

    def snap(side: float) -> int:
        return max(m, int(side // m) * m)

    n, half, short = snap(geo.native), snap(geo.native / 2), snap(geo.native * 3 / 4)
    sizes = (f"{n}x{n}", f"{half}x{half}", f"{n}x{short}", f"{short}x{n}")
    return tuple(dict.fromkeys(sizes))


def is_turbo(spec: str) -> bool:
    """Distilled "turbo" models (SD-Turbo, SDXL-Turbo) draw in a few steps without guidance."""
    return "turbo" in spec.lower()


def steps_for(spec: str, quality: str, override: int = 0) -> int:
    """Denoising steps for a quality; ``override`` (DIFFUSERS_STEPS) wins when above 0."""
    if override > 0:
        return override
    table = _TURBO_STEPS if is_turbo(spec) else _FULL_STEPS
    return table.get(quality, table["auto"])


def guidance_for(spec: str) -> float:
    """Classifier-free guidance: 0 for turbo models (they were trained without it), else 7.5."""
    return 0.0 if is_turbo(spec) else 7.5
