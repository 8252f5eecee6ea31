"""How much time the studio adds on top of the image service, and how well DALL-E 3 fan-out overlaps.

Run from the repository root: ``python bench/overhead.py``. It starts the project's fake OpenAI server
with a fixed latency (300 ms per call) and runs the real pipeline (``Studio.generate`` -> the OpenAI
engine -> the openai SDK -> HTTP) against it:

* ``overhead_ratio``: the wall time of one image divided by the server's 300 ms (target <= 1.05);
* ``fanout_ratio``: the wall time of 4 images on a one-image-per-call model (dall-e-3) divided by
  the wall time of one image on that model (target <= 1.3: the four calls run side by side);
* ``stream_overhead_ratio``: the same as ``overhead_ratio`` with streaming on (``stream=True,
  partial_images=2``: two rough pictures decoded and handed to the page, then the final one;
  target <= 1.05).

Each measurement is repeated and the median kept; one untimed warm-up call first opens the HTTP
connection and imports the SDK, as a running app has already done. The last line printed is
``overhead_ratio=<x> fanout_ratio=<y> stream_overhead_ratio=<z>``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lib.engines.openai_engine import OpenAIEngine, create_openai_engine  # noqa: E402
from lib.settings import Settings  # noqa: E402
from lib.studio import Studio  # noqa: E402
from tests.fake_openai import FakeOpenAI  # noqa: E402

LATENCY_S = 0.300


class ShowPartials:
    """A progress callback that takes partial pictures, as the pages' progress bar does."""

    def __init__(self) -> None:
        self.partials = 0

    def __call__(self, done: int, total: int) -> None:
        pass

    def partial(self, index: int, png: bytes) -> None:
        self.partials += 1


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    """Wall times of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per measurement (median kept)")
    args = parser.parse_args()

    with FakeOpenAI(latency=LATENCY_S) as fake:
        settings: Settings = fake.settings(openai_timeout=30.0)
        engine: OpenAIEngine = create_openai_engine(settings)
        studio = Studio(settings, engine_lookup=lambda _name, _settings: engine)

        def one(model: str, n: int = 1) -> Callable[[], object]:
            return lambda: studio.generate(
                prompt="the Eiffel Tower at dusk", engine="openai", model=model, size="1024x1024", n=n
            )

        one("gpt-image-2")()  # warm-up: SDK import paths, connection pool
        single = timed(one("gpt-image-2"), args.repeats)
        watcher = ShowPartials()

        def streamed() -> object:
            return studio.generate(
                prompt="the Eiffel Tower at dusk",
                engine="openai",
                model="gpt-image-2",
                size="1024x1024",
                progress=watcher,
            )

        streamed()  # warm-up
        streaming = timed(streamed, args.repeats)
        assert watcher.partials == 2 * (args.repeats + 1), "the stream did not carry two partial pictures"
        one("dall-e-3", 4)()  # warm-up: four pooled connections
        dalle_one = timed(one("dall-e-3"), args.repeats)
        dalle_four = timed(one("dall-e-3", 4), args.repeats)
        engine.close()

    single_med = statistics.median(single)
    one_call_med = statistics.median(dalle_one)
    four_med = statistics.median(dalle_four)
    overhead_ratio = single_med / LATENCY_S
    fanout_ratio = four_med / one_call_med
    print(f"server latency      {LATENCY_S * 1000:.0f} ms per call, {args.repeats} runs each, medians")
    print(
        f"1 image gpt-image-2 {single_med * 1000:.1f} ms  (min {min(single) * 1000:.1f}, max {max(single) * 1000:.1f})"
    )
    print(f"1 image dall-e-3    {one_call_med * 1000:.1f} ms  (min {min(dalle_one) * 1000:.1f})")
    spread = f"(min {min(dalle_four) * 1000:.1f}, max {max(dalle_four) * 1000:.1f})"
    print(f"4 images dall-e-3   {four_med * 1000:.1f} ms  {spread}")
    stream_med = statistics.median(streaming)
    stream_ratio = stream_med / LATENCY_S
    print(f"1 image streamed    {stream_med * 1000:.1f} ms  (2 partial pictures; min {min(streaming) * 1000:.1f})")
    print(
        f"overhead_ratio={overhead_ratio:.3f} fanout_ratio={fanout_ratio:.3f} stream_overhead_ratio={stream_ratio:.3f}"
    )


if __name__ == "__main__":
    main()
