"""Does the Gallery stay fast and small as a student's history grows?

Run from the repository root: ``python bench/gallery.py``. It fills two fresh data folders through
the real store (:class:`lib.history.History`), one with 10 pictures and one with 1,000 (256x256
PNGs with shapes on them, each with its thumbnail and settings), then runs the real Gallery page
in Streamlit's AppTest (``app.py`` -> ``pages/gallery.py``) against each:

* ``rerun_ratio``: the median rerun time of the page with 1,000 stored pictures divided by the
  median with 10 (target <= 1.5: the page lists one page of thumbnails from SQLite, whatever the
  total);
* ``session_bytes_per_image``: the pickled size of everything the page keeps in
  ``st.session_state`` (with one picture opened large, the heaviest state), divided by the number
  of stored pictures (target <= 50000: session state holds ids and filter values, not images).

The last line printed is ``rerun_ratio=<x> session_bytes_per_image=<y>``.
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
from lib.history import History, new_owner_id  # noqa: E402
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
    """Store ``count`` pictures for ``owner`` through the real History."""
    store = History(data_dir)
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


def measure(count: int, repeats: int) -> tuple[float, int, int]:
    """Median rerun seconds, session bytes and visible thumbnails, with ``count`` pictures stored."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        owner = new_owner_id()
        fill(data_dir, owner, count)
        os.environ["STUDIO_DATA_DIR"] = str(data_dir)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["u"] = owner
        at.switch_page("pages/gallery.py")
        at.run()  # warm-up: imports, caches, the SQLite file opened once
        if at.exception:
            raise SystemExit(f"the gallery page failed: {at.exception[0].value}")
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
        thumbs = len(at.image)
        # The heaviest state: a picture opened large, ready to download or delete.
        first = next(b for b in at.button if (b.key or "").startswith("gallery_open_"))
        first.click().run()
        return statistics.median(times), session_bytes(at), thumbs


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15, help="reruns per measurement (median kept)")
    parser.add_argument("--many", type=int, default=1000, help="pictures in the big history")
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "STUDIO_ENGINE"):
        os.environ.pop(name, None)

    few_s, few_bytes, few_thumbs = measure(10, args.repeats)
    many_s, many_bytes, many_thumbs = measure(args.many, args.repeats)
    print(f"10 pictures     rerun {few_s * 1000:.1f} ms (median of {args.repeats}), {few_thumbs} thumbnails shown, "
          f"session state {few_bytes} bytes")  # fmt: skip
    print(f"{args.many} pictures   rerun {many_s * 1000:.1f} ms (median of {args.repeats}), {many_thumbs} thumbnails "
          f"shown (page size {gallery.PAGE_SIZE}), session state {many_bytes} bytes")  # fmt: skip
    print(f"rerun_ratio={many_s / few_s:.3f} session_bytes_per_image={many_bytes / args.many:.1f}")


if __name__ == "__main__":
    main()
