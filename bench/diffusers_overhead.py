"""How much time the local diffusion engine adds over calling the same pipeline directly.

Builds the tiny random pipeline (no network), loads it through the engine's real loading path,
then times, interleaved, ``engine.generate`` (one 64x64 picture) and a direct call of the very
same pipeline object with the same prompt, steps, guidance and starting noise. The engine adds
request checks, the starting noise and its blend, the pipeline lock, the progress callback and
PNG encoding; the pipeline's own work is the same in both.

Prints the medians and, as its last line, ``step_overhead=<x>``: engine median over direct
median, minus 1 (target: at most 0.05). The ratio uses the process's CPU time, because on a
shared machine the wall clock mostly measures the neighbours; wall-clock medians are printed too.

    .venv/bin/python bench/diffusers_overhead.py [--runs 15] [--steps 4] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from lib.engines.base import GenerateRequest  # noqa: E402
from lib.engines.diffusers import locate, runtime  # noqa: E402
from lib.engines.diffusers_engine import create_engine  # noqa: E402
from lib.settings import Settings  # noqa: E402
from tests.tiny_diffusion import build_tiny_pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=31, help="timed runs of each (after 2 warm-up runs)")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (1 is steadiest on a shared machine)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    with tempfile.TemporaryDirectory() as tmp:
        folder = build_tiny_pipeline(Path(tmp))
        settings = Settings(diffusers_model=str(folder), diffusers_steps=args.steps, diffusers_device="cpu")
        engine = create_engine(settings)
        request = GenerateRequest(prompt="a lighthouse at dawn", model="", size="64x64", seed=42)
        engine.generate(request)  # loads the pipeline once, as the app does on first use
        # The engine's per-process cache hands back the very pipeline object the engine uses.
        source = locate.find_model(str(folder), allow_download=False)
        pipe = runtime.load(source, allow_download=False, device_setting="cpu").pipe
        guidance = engine.generate(request)[0].extra["guidance"]
        shape = (1, pipe.unet.config.in_channels, 64 // pipe.vae_scale_factor, 64 // pipe.vae_scale_factor)

        def direct() -> None:
            start = torch.randn(shape, generator=torch.Generator().manual_seed(42))
            pipe(
                request.prompt,
                width=64,
                height=64,
                num_inference_steps=args.steps,
                guidance_scale=guidance,
                latents=start,
                generator=torch.Generator().manual_seed(42),
                output_type="pil",
            )

        def via_engine() -> None:
            engine.generate(request, lambda done, total: None)

        def timed(fn: Callable[[], None], cpu: list[float], wall: list[float]) -> None:
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            fn()
            cpu.append(time.process_time() - cpu_start)
            wall.append(time.perf_counter() - wall_start)

        for _ in range(2):
            direct(), via_engine()
        eng_cpu: list[float] = []
        eng_wall: list[float] = []
        dir_cpu: list[float] = []
        dir_wall: list[float] = []
        for i in range(args.runs):
            # Alternate which goes first so that drift in machine load hits both alike.
            if i % 2:
                timed(via_engine, eng_cpu, eng_wall)
                timed(direct, dir_cpu, dir_wall)
            else:
                timed(direct, dir_cpu, dir_wall)
                timed(via_engine, eng_cpu, eng_wall)

    def ms(values: list[float]) -> str:
        return f"median {statistics.median(values) * 1000:7.1f} ms, min {min(values) * 1000:7.1f} ms"

    print(f"torch {torch.__version__}, threads {args.threads}, steps {args.steps}, runs {args.runs}, 64x64")
    print(f"direct pipeline call  cpu: {ms(dir_cpu)}   wall: {ms(dir_wall)}")
    print(f"engine.generate       cpu: {ms(eng_cpu)}   wall: {ms(eng_wall)}")
    wall_ratio = statistics.median(eng_wall) / statistics.median(dir_wall) - 1
    print(f"wall-clock overhead (medians)={wall_ratio:.4f}")
    print(f"cpu overhead (medians)={statistics.median(eng_cpu) / statistics.median(dir_cpu) - 1:.4f}")
    # Single calls of the tiny pipeline swing by +-20% on this machine (allocator, caches), so
    # the headline compares each engine call with the direct call run right beside it and takes
    # the median of those paired ratios; the fastest runs (the floor) are printed as a check.
    paired = statistics.median(e / d for e, d in zip(eng_cpu, dir_cpu, strict=True)) - 1
    print(f"cpu overhead (fastest runs)={min(eng_cpu) / min(dir_cpu) - 1:.4f}")
    print(f"step_overhead={paired:.4f}")


if __name__ == "__main__":
    main()
