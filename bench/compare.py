"""Bench: does a 2 x 4 comparison take about as long as one picture?

Against the project's fake OpenAI server (300 ms per call) with DALL-E 3, which makes one picture
per call, a 2-column x 4-picture comparison is 8 calls. Run one after the other they would take
8 x 300 ms; side by side (columns in parallel, each column's calls in parallel) about one call.
Every picture goes through the full Studio pipeline and is saved to a throw-away history.

    python bench/compare.py            # last line: compare_ratio=<wall time / one call's time>

Target: compare_ratio <= 1.4. Two pipelines are measured, medians of five runs each:

* engine only: ``Studio(settings)``, no rules and no history (the fan-out, plus likeness scores);
* as the page runs it (the last line): the teacher's default rules, whose safety layers call the
  moderation endpoint (the fake answers it with the same 300 ms), and every picture saved.

The machine is shared, so the 1-minute load average is printed alongside.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lib import compare  # noqa: E402
from lib.engines import get_engine  # noqa: E402
from lib.engines.base import Engine  # noqa: E402
from lib.services import build_services  # noqa: E402
from lib.store import Store  # noqa: E402
from lib.studio import Studio  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402

LATENCY_S = 0.3
MODEL = "dall-e-3"  # images_per_call=1: the engine fans out one call per picture
COLUMNS, PER_COLUMN, REPEATS = 2, 4, 5
OWNER = "benchowner01"


def measure(studio: Studio, engine: Engine, label: str) -> float:
    """Print one call's time and the 2 x 4 comparison's wall time (medians); return their ratio.

    Also printed: when the last picture arrived (the fan-out alone, before likeness scores and
    saving), as a ratio to one call.
    """
    caps = engine.capabilities(MODEL)

    def one_call() -> float:
        started = time.perf_counter()
        studio.generate(
            prompt="a lighthouse at dawn",
            engine="openai",
            model=MODEL,
            size=caps.sizes[0],
            n=1,
            owner=OWNER,
            page="compare",
        )
        return time.perf_counter() - started

    one_call()  # warm-up: client construction, first connection
    single = statistics.median(one_call() for _ in range(REPEATS))
    columns = compare.build_columns(
        "prompt",
        ["a lighthouse at dawn", "a lighthouse at night"],
        engine=engine,
        prompt="",
        model=MODEL,
        size=caps.sizes[0],
    )
    walls: list[float] = []
    arrivals: list[float] = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        arrived: list[float] = []

        def progress(done: int, total: int, started: float = started, arrived: list[float] = arrived) -> None:
            if done == total and not arrived:
                arrived.append(time.perf_counter() - started)

        results = compare.run_columns(studio, columns, engine="openai", n=PER_COLUMN, owner=OWNER, progress=progress)
        walls.append(time.perf_counter() - started)
        arrivals.extend(arrived)
        errors = [str(r.error) for r in results if r.error is not None]
        if errors:
            raise SystemExit(f"a column failed: {errors}")
        assert [len(r.images) for r in results] == [PER_COLUMN] * COLUMNS
    wall = statistics.median(walls)
    print(
        f"[{label}] one_call_s={single:.3f} compare_wall_s={wall:.3f} "
        f"(runs {', '.join(f'{w:.3f}' for w in walls)}) serial_estimate_s={single * COLUMNS * PER_COLUMN:.3f} "
        f"all_pictures_arrived_ratio={statistics.median(arrivals) / single:.2f} "
        f"best_run_ratio={min(walls) / single:.2f}"
    )
    return wall / single


def main() -> None:
    with FakeOpenAI(latency=LATENCY_S) as fake, tempfile.TemporaryDirectory() as data_dir:
        # Everything the pipeline writes (history, hourly counts, safety log) goes to the throw-away folder.
        settings = fake.settings(openai_model=MODEL, data_dir=Path(data_dir))
        engine = get_engine("openai", settings)
        print(
            f"model={MODEL} images_per_call={engine.capabilities(MODEL).images_per_call} latency_s={LATENCY_S} "
            f"columns={COLUMNS} per_column={PER_COLUMN}"
        )
        print(f"load_average_1min={os.getloadavg()[0]:.2f} cpus={os.cpu_count()}")
        # The engine and the fan-out alone, then the pipeline as the page builds it (lib.ui.state.studio):
        # the teacher's default rules (safety layers with moderation calls, metaprompt, limits) and every picture saved.
        bare = measure(Studio(settings), engine, "engine only")
        print(f"compare_ratio_engine_only={bare:.2f}")
        # A bench makes about fifty pictures in a few seconds: lift the hourly limit, keep the rest.
        store = Store.embedded(data_dir)
        store.rules.save(store.rules.read().rules.with_changes(max_images_per_hour=10_000), expected_version=0)
        page_studio = build_services(settings, store).studio
        ratio = measure(page_studio, engine, "as the page runs it")
        print(f"compare_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
