"""Time the offline storybook engine and check that its memory stays flat.

Run from the repository root: ``python bench/storybook.py [--renders 1000]``.
The last line is ``render_ms_512=<median> render_ms_1024=<median>`` (targets: 60 and 200 ms).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.engines.base import GenerateRequest  # noqa: E402
from lib.engines.storybook import MODEL, StorybookEngine, glyphs  # noqa: E402

PROMPTS = [
    "Dog next to Eiffel Tower in early morning sunlight",
    "Bunny on horse, holding a lollipop, on a foggy meadow where it grows daffodils",
    "three red cats under a tree at night in the rain",
    "a panda on the Great Wall of China in the snow",
    "Sydney Opera House with a dolphin in the sea at sunset",
    "a gorilla on the Empire State Building in a storm",
]


def rss_mb() -> float:
    """Resident memory of this process now, in MB (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def median_ms(engine: StorybookEngine, size: str, rounds: int) -> float:
    """Median wall time of one full generate call (plan, paint, PNG encode) at ``size``."""
    times, cpu = [], []
    for k in range(rounds):
        prompt = PROMPTS[k % len(PROMPTS)]
        request = GenerateRequest(prompt=prompt, model=MODEL, size=size, seed=k, temperature=0.7)
        started, started_cpu = time.perf_counter(), time.process_time()
        engine.generate(request)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    # CPU time too: on a shared machine the wall clock also counts other people's work.
    print(f"{size}: median wall {statistics.median(times):.1f} ms, median cpu {statistics.median(cpu):.1f} ms")
    return statistics.median(times)


def main() -> int:
    """Warm up, time 512 and 1024 px, then watch memory over many 256 px renders."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--renders", type=int, default=1000)
    args = parser.parse_args()
    engine = StorybookEngine()
    for prompt in PROMPTS:  # warm the font and glyph caches, as a running app has them
        engine.generate(GenerateRequest(prompt=prompt, model=MODEL, size="512x512", seed=0))
    ms_512 = median_ms(engine, "512x512", args.rounds)
    ms_1024 = median_ms(engine, "1024x1024", args.rounds)
    start = rss_mb()
    checkpoints = []
    for k in range(args.renders):
        prompt = f"{PROMPTS[k % len(PROMPTS)]} with {k % 9 + 1} birds"
        engine.generate(GenerateRequest(prompt=prompt, model=MODEL, size="256x256", seed=k, temperature=1.0))
        if (k + 1) % max(1, args.renders // 4) == 0:
            checkpoints.append(rss_mb())
    end = rss_mb()
    print(f"rss_mb_start={start:.1f} rss_mb_checkpoints={[round(c, 1) for c in checkpoints]} rss_mb_end={end:.1f}")
    print(f"renders={args.renders} glyph_cache(master, sized)={glyphs.cache_sizes()}")
    print(f"render_ms_512={ms_512:.1f} render_ms_1024={ms_1024:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
