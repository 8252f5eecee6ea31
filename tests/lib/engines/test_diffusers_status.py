"""The local diffusion engine without torch: cheap to import, honest status, pure helpers.

These run everywhere (no torch needed). The engine's torch side is tested, on a tiny pipeline,
in ``test_diffusers_engine.py``.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lib.engines.diffusers import locate
from lib.engines.diffusers.pictures import parse_size, paste_outside_mask, working_size
from lib.errors import BadInput

ROOT = Path(__file__).resolve().parents[3]


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (so torch's presence can be controlled) and return stdout."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_the_engine_does_not_import_torch() -> None:
    out = run_python(
        """
        import sys
        from lib.engines.diffusers_engine import create_engine
        from lib.settings import Settings
        engine = create_engine(Settings())
        engine.status(); engine.capabilities(engine.models()[0])
        print(sorted(m for m in ("torch", "diffusers", "transformers") if m in sys.modules))
        """
    )
    assert out.strip() == "[]"


def test_without_torch_the_status_says_how_to_install() -> None:
    out = run_python(
        """
        import sys
        sys.modules["torch"] = None  # what an uninstalled package looks like to import and find_spec
        from lib.engines import engine_names
        from lib.engines.base import GenerateRequest
        from lib.engines.diffusers_engine import create_engine, packages_installed
        from lib.errors import NotConfigured
        from lib.settings import Settings
        engine = create_engine(Settings())
        status = engine.status()
        print(status.configured, packages_installed(), "diffusers" in engine_names())
        print(status.summary)
        print(status.how_to_configure)
        try:
            engine.generate(GenerateRequest(prompt="a cat", model="", size="512x512"))
        except NotConfigured as exc:
            print("raised:", exc)
        """
    )
    first, summary, how, raised = out.strip().splitlines()
    assert first.split()[:2] == ["False", "False"]
    assert "not installed" in summary and "torch" in summary
    assert "pip install -r requirements-local.txt" in how
    assert raised.startswith("raised:") and "requirements-local.txt" in raised


def test_sd_sizes_when_the_model_is_not_on_disk() -> None:
    assert locate.sizes_for(locate.geometry(None)) == ("512x512", "256x256", "512x384", "384x512")


def test_sizes_come_from_the_models_configs(tmp_path: Path) -> None:
    (tmp_path / "unet").mkdir()
    (tmp_path / "vae").mkdir()
    (tmp_path / "unet" / "config.json").write_text('{"sample_size": 96, "down_block_types": [1, 2, 3, 4]}')
    (tmp_path / "vae" / "config.json").write_text('{"block_out_channels": [1, 2, 3, 4]}')
    geo = locate.geometry(tmp_path)  # SD 2.1 at 768 px
    assert (geo.native, geo.multiple) == (768, 64)
    assert locate.sizes_for(geo) == ("768x768", "384x384", "768x576", "576x768")


def test_turbo_models_take_few_steps_and_no_guidance() -> None:
    assert [locate.steps_for("stabilityai/sd-turbo", q) for q in locate.QUALITIES] == [1, 1, 2, 4]
    assert locate.guidance_for("stabilityai/sd-turbo") == 0.0
    assert locate.steps_for("runwayml/stable-diffusion-v1-5", "auto") == 25
    assert locate.guidance_for("runwayml/stable-diffusion-v1-5") == 7.5
    assert locate.steps_for("stabilityai/sd-turbo", "high", override=8) == 8


@pytest.mark.parametrize(
    ("spec", "is_path"),
    [("stabilityai/sd-turbo", False), ("/models/sd", True), ("~/sd", True), ("./sd", True), ("a/b/c", True)],
)
def test_folders_and_hub_ids_are_told_apart(spec: str, is_path: bool) -> None:
    assert locate.looks_like_path(spec) is is_path


def test_a_folder_without_model_index_is_explained(tmp_path: Path) -> None:
    source = locate.find_model(str(tmp_path), allow_download=False)
    assert source.problem and str(tmp_path) in source.problem and "model_index.json" in source.problem


def test_an_uncached_model_may_be_fetched_on_first_use_when_allowed() -> None:
    assert locate.find_model("edu4all-tests/not-cached", allow_download=True).problem is None
    problem = locate.find_model("edu4all-tests/not-cached", allow_download=False).problem
    assert problem and "hf download edu4all-tests/not-cached" in problem


def test_sizes_are_checked_against_the_models_multiple() -> None:
    assert parse_size("512x384", 64) == (512, 384)
    with pytest.raises(BadInput, match="multiple of 64"):
        parse_size("500x500", 64)
    with pytest.raises(BadInput, match="512x512"):
        parse_size("big", 64)


def test_working_size_keeps_the_shape_at_the_models_size() -> None:
    assert working_size(1024, 768, 512, 64) == (512, 384)
    assert working_size(300, 900, 512, 64) == (192, 512)


def test_the_original_comes_back_wherever_the_mask_is_zero() -> None:
    rng = np.random.default_rng(0)
    original = Image.fromarray(rng.integers(0, 256, (50, 70, 3), dtype=np.uint8), "RGB")
    painted = Image.new("RGB", (64, 64), (255, 0, 0))  # at the working size: resized back
    mask = np.zeros((50, 70), dtype=np.uint8)
    mask[5:20, 10:30] = 255
    mask[30, 40] = 128  # a soft edge pixel is blended, not kept
    out = np.asarray(paste_outside_mask(original, painted, Image.fromarray(mask, "L")))
    before = np.asarray(original)
    assert np.array_equal(out[mask == 0], before[mask == 0])
    assert (out[mask == 255] == (255, 0, 0)).all()
    buf = io.BytesIO()
    Image.fromarray(out).save(buf, format="PNG")
    assert buf.getvalue()
