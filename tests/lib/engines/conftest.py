"""Fixtures shared by the engine tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# huggingface_hub reads this once, when first imported: the local engine must never reach a hub.
os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def tiny_diffusion_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random Stable Diffusion pipeline saved to a folder, built once per session (no network)."""
    pytest.importorskip("torch")
    pytest.importorskip("diffusers")
    import torch

    from tests.tiny_diffusion import build_tiny_pipeline

    # One thread: a 64x64 picture gains nothing from two, and two threads contend on a busy machine.
    torch.set_num_threads(1)
    return build_tiny_pipeline(tmp_path_factory.mktemp("tiny-sd"))
