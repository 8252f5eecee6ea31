"""A tiny random Stable Diffusion pipeline, built locally with no network, for tests and benchmarks.

Its pictures are noise (the weights are random), but it has every part of a real one (UNet,
VAE, CLIP text encoder and tokenizer, scheduler), so saving it with ``save_pretrained`` and
loading it back exercises the engine's real loading path. Building and saving take well under
a second and 10 MB.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any


def build_tiny_pipeline(folder: Path, *, seed: int = 0) -> Path:
    """Write a tiny random pipeline into ``folder`` (64x64 pictures) and return the folder."""
    import torch
    from tokenizers.pre_tokenizers import ByteLevel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    # diffusers' constructors are untyped; treat the package as dynamic rather than ignore each call.
    diffusers: Any = importlib.import_module("diffusers")
    torch.manual_seed(seed)
    unet = diffusers.UNet2DConditionModel(
        block_out_channels=(32, 64),
        layers_per_block=1,
        sample_size=32,
        in_channels=4,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=4,
        norm_num_groups=16,
    )
    vae = diffusers.AutoencoderKL(
        block_out_channels=(32, 64),
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        latent_channels=4,
        norm_num_groups=16,
        sample_size=64,
    )
    # A byte-level vocabulary with no merges: every character is a token. transformers 5 dropped
    # gpt2's bytes_to_unicode, so the alphabet comes from the tokenizers package.
    alphabet = sorted(ByteLevel.alphabet())
    vocab = {ch: i for i, ch in enumerate(alphabet)}
    vocab.update({ch + "</w>": len(alphabet) + i for i, ch in enumerate(alphabet)})
    bos, eos = len(vocab), len(vocab) + 1
    vocab.update({"<|startoftext|>": bos, "<|endoftext|>": eos})
    words = folder / "_vocab"
    words.mkdir(parents=True, exist_ok=True)
    (words / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (words / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    # Without model_max_length the tokenizer says 10**30 and the pipeline pads to that.
    tokenizer = CLIPTokenizer(
        vocab_file=str(words / "vocab.json"), merges_file=str(words / "merges.txt"), model_max_length=77
    )
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            bos_token_id=bos,
            eos_token_id=eos,
            pad_token_id=eos,
            vocab_size=len(vocab),
            hidden_size=32,
            intermediate_size=37,
            num_attention_heads=4,
            num_hidden_layers=2,
            max_position_embeddings=77,
            projection_dim=32,
        )
    )
    # steps_offset=1 is what Stable Diffusion uses; without it diffusers warns on every load.
    # "trailing" spacing, as SD-Turbo's scheduler has, so that img2img at 2 steps and strength 0.5
    # really starts half way (with "leading" spacing a single step starts at t=1: no change).
    scheduler = diffusers.DDIMScheduler(
        timestep_spacing="trailing",
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    pipe = diffusers.StableDiffusionPipeline(
        unet=unet,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    model = folder / "model"
    pipe.save_pretrained(model)
    return model
