"""The local screen's speed and memory: model load time, median and p99 per prompt, memory added.

    .venv/bin/python bench/safety.py

Targets: load <= 1 s, median <= 5 ms per prompt. Prompts: every line of the tune and held-out sets.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    before = _rss_mb()
    started = time.perf_counter()
    from lib.rules import TeacherRules
    from lib.safety.intent import shared_model
    from lib.safety.screen import PromptScreen

    model = shared_model()
    screen = PromptScreen(TeacherRules().disallow, intent=model)
    load = time.perf_counter() - started
    prompts = []
    for name in ("redteam_tune", "redteam_heldout", "benign_tune", "benign_heldout"):
        for line in (ROOT / "tests" / "data" / f"{name}.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                prompts.append(line.split("\t", 1)[-1])
    screen.check("warm up")
    times = []
    for prompt in prompts:
        t = time.perf_counter()
        screen.check(prompt)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"load (imports, wordllama, model, word lists): {load:.2f} s")
    print(f"per prompt over {len(prompts)} prompts: median {statistics.median(times):.2f} ms, "
          f"p99 {times[int(0.99 * len(times))]:.2f} ms, max {times[-1]:.2f} ms")  # fmt: skip
    added = _rss_mb() - before
    print(f"memory added (peak RSS): {added:.0f} MB")
    print(f"median_ms={statistics.median(times):.2f} p99_ms={times[int(0.99 * len(times))]:.2f} "
          f"load_s={load:.2f} memory_mb={added:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
