"""Does the Gallery stay fast and small as a student's history grows?

Run from the repository root: ``python bench/gallery.py``. It fills three fresh data folders
through the real store (:class:`lib.store.pictures.Pictures`), with 10, 24 and 1,000 pictures (256x256
PNGs with shapes on them, each with its thumbnail and settings), then runs the real Gallery page
in Streamlit's AppTest (``app.py`` -> ``pages/gallery.py``) against each:

* ``rerun_ratio``: the median rerun time of the page with 1,000 stored pictures divided by the
  median with 10 (target <= 1.5: the page lists one page of thumbnails from SQLite, whatever the
  total);
* ``session_bytes_per_image``: the pickled size of everything the page keeps in
  ``st.session_state`` (with one picture opened large, the heaviest state), divided by the number
  of stored pictures (target <= 50000: session state holds ids and filter values, not images).

For context it also prints the CPU-time ratio and the ratio of 1,000 pictures over one full page
(24), where both show the same number of thumbnails. The last line printed is
``rerun_ratio=<x> session_bytes_per_image=<y>``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import io  # noqa: E402

from PIL import Image, ImageDraw  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lib.engines.base import GeneratedImage  # noqa: E402
from lib.pictures import new_owner_id  # noqa: E402
from lib.store import Store  # noqa: E402
from lib.ui import gallery  # noqa: E402


def picture(rng: random.Random) -> bytes:
    """A 256x256 PNG with a few coloured shapes, about the weight of a simple drawing."""
    im = Image.new("RGB", (256, 256), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(im)
    for _ in range(12):
        x, y = rng.randrange(256), rng.randrange(256)
        box = (x, y, x + rng.randrange(10, 90), y + rng.randrange(10, 90))
        draw.ellipse(box, fill=tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def fill(data_dir: Path, owner: str, count: int) -> None:
    """Store ``count`` pictures for ``owner`` through the real store."""
    store = Store.embedded(data_dir).pictures
    rng = random.Random(count)
    pages = ("create", "compare", "edit", "variations")
    for i in range(count):
        image = GeneratedImage(
            png=picture(rng), engine="storybook", model="storybook-1", operation="generate",
            prompt_sent=f"A friendly picture: monument {i} in the rain", prompt_typed=f"monument {i} in the rain",
            size="256x256", seed=i, temperature=0.5,
        )  # fmt: skip
        store.save(image, owner=owner, page=pages[i % len(pages)])


def session_bytes(at: AppTest) -> int:
    """The pickled size of every value the page keeps in session state."""
    total = 0
    for key, value in at.session_state.items():
        try:
            total += len(pickle.dumps((key, value)))
        except Exception:  # noqa: BLE001 - an unpicklable value still counts, by its repr
            total += len(repr((key, value)).encode())
    return total


class Gallery:
    """The Gallery page in AppTest over a data folder holding ``count`` pictures of one browser."""

    def __init__(self, root: Path, count: int) -> None:
        self.count = count
        self.data_dir = root / f"data-{count}"
        owner = new_owner_id()
        fill(self.data_dir, owner, count)
        self.at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        self.at.query_params["u"] = owner
        self.at.switch_page("pages/gallery.py")
        self.rerun()  # warm-up: imports, caches, the SQLite file opened once
        if self.at.exception:
            raise SystemExit(f"the gallery page failed: {self.at.exception[0].value}")

    def rerun(self) -> tuple[float, float]:
        """One rerun of the page: (wall seconds, CPU seconds of this process)."""
        os.environ["STUDIO_DATA_DIR"] = str(self.data_dir)  # the settings are read on every rerun
        wall, cpu = time.perf_counter(), time.process_time()
        self.at.run()
        return time.perf_counter() - wall, time.process_time() - cpu

    def open_first(self) -> None:
        """Open one picture large: the heaviest session state the page keeps."""
        os.environ["STUDIO_DATA_DIR"] = str(self.data_dir)
        next(b for b in self.at.button if (b.key or "").startswith("gallery_open_")).click().run()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="reruns per measurement (median kept)")
    parser.add_argument("--many", type=int, default=1000, help="pictures in the big history")
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "STUDIO_ENGINE"):
        os.environ.pop(name, None)

    with tempfile.TemporaryDirectory() as tmp:
        few, full, many = Gallery(Path(tmp), 10), Gallery(Path(tmp), gallery.PAGE_SIZE), Gallery(Path(tmp), args.many)
        # Interleaved, so that the load of a shared machine weighs on all sides alike.
        samples: dict[int, list[tuple[float, float]]] = {10: [], gallery.PAGE_SIZE: [], args.many: []}
        for _ in range(args.repeats):
            for gallery_ in (few, full, many):
                samples[gallery_.count].append(gallery_.rerun())
        thumbs = {g.count: len(g.at.image) for g in (few, many)}
        for g in (few, many):
            g.open_first()
        state_bytes = {g.count: session_bytes(g.at) for g in (few, many)}

    for count in (10, args.many):
        wall = statistics.median(t for t, _ in samples[count])
        cpu = statistics.median(c for _, c in samples[count])
        print(f"{count:>5} pictures: rerun {wall * 1000:.1f} ms wall, {cpu * 1000:.1f} ms CPU "
              f"(medians of {args.repeats}); {thumbs[count]} thumbnails shown (a page holds {gallery.PAGE_SIZE}); "
              f"session state {state_bytes[count]} bytes")  # fmt: skip
    ratio = statistics.median(t for t, _ in samples[args.many]) / statistics.median(t for t, _ in samples[10])
    cpu_ratio = statistics.median(c for _, c in samples[args.many]) / statistics.median(c for _, c in samples[10])
    print(f"CPU-time ratio {cpu_ratio:.3f} (less sensitive to other processes on the machine)")
    same_page = statistics.median(t for t, _ in samples[args.many]) / statistics.median(
        t for t, _ in samples[gallery.PAGE_SIZE]
    )
    print(f"{args.many} pictures over {gallery.PAGE_SIZE} (one full page each, same thumbnails shown): {same_page:.3f}")
    print(f"rerun_ratio={ratio:.3f} session_bytes_per_image={state_bytes[args.many] / args.many:.1f}")


if __name__ == "__main__":
    main()
