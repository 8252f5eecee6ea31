"""Does the teacher's class view stay fast and small as the class's pictures pile up?

Run from the repository root: ``python bench/class_view.py``. It fills two fresh data folders
with 100 and 10,000 pictures of 30 named students (rows with real JPEG thumbnails written
straight into the store's ``images`` table in bulk, which is what the class view reads; the
PNGs are not needed because no picture is opened), then runs the real Teacher page, unlocked,
in Streamlit's AppTest (``app.py`` -> ``pages/teacher.py``; the Class tab shows the first page
of the wall, and the other tabs render too):

* ``first_page_ratio``: median rerun time at 10,000 pictures / at 100 (target <= 1.5);
* ``session_mb``: memory one teacher session holds at 10,000 pictures (target <= 50 MB):
  Python memory still allocated (tracemalloc) after the session was opened, unlocked and
  rerun, which covers its session state, its element tree and everything the reruns kept.

The last line printed is ``first_page_ratio=<x> session_mb=<y>``.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import pickle
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageDraw  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from lib.pictures import new_image_id, new_owner_id, thumbnail  # noqa: E402
from lib.store import Store  # noqa: E402
from lib.store.schema import images  # noqa: E402

PASSCODE = "bench-passcode"
STUDENTS = 30


def thumbnails(rng: random.Random, n: int = 40) -> list[bytes]:
    """A few real thumbnails (the app's own JPEG of a 256x256 drawing)."""
    found = []
    for _ in range(n):
        im = Image.new("RGB", (256, 256), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(im)
        for _ in range(12):
            x, y = rng.randrange(256), rng.randrange(256)
            draw.ellipse((x, y, x + 40, y + 40), fill=tuple(rng.randrange(256) for _ in range(3)))
        out = io.BytesIO()
        im.save(out, format="PNG")
        found.append(thumbnail(out.getvalue()))
    return found


def fill(data_dir: Path, count: int) -> None:
    """``count`` picture rows for 30 named students, spread over the last 30 days."""
    store = Store.embedded(data_dir)
    rng = random.Random(count)
    owners = [new_owner_id() for _ in range(STUDENTS)]
    for i, owner in enumerate(owners):
        store.roster.set_name(owner, f"Student {i:02d}")
    thumbs = thumbnails(rng)
    now = time.time()
    pages = ("create", "compare", "edit", "variations")
    rows = []
    for i in range(count):
        owner, image_id = owners[i % STUDENTS], new_image_id()
        prompt = f"monument {i} in the rain"
        rows.append({
            "id": image_id, "owner": owner, "page": pages[i % 4], "engine": "storybook", "model": "storybook-1",
            "operation": "generate", "prompt_typed": prompt, "prompt_sent": f"A friendly picture: {prompt}",
            "size": "256x256", "seed": i, "temperature": 0.5, "created": now - rng.uniform(0, 30 * 86_400),
            "path": f"{owner}/{image_id}.png", "thumbnail": thumbs[i % len(thumbs)],
            "meta": json.dumps({"prompt_typed": prompt, "engine": "storybook"}), "hidden": i % 97 == 0,
        })  # fmt: skip
    with store._engine.begin() as db:  # bulk rows: the bench measures reading, not saving
        for start in range(0, len(rows), 1000):
            db.execute(images.insert(), rows[start : start + 1000])
    store.close()


class TeacherSession:
    """The Teacher page, unlocked, over a data folder holding ``count`` pictures."""

    def __init__(self, root: Path, count: int) -> None:
        self.count = count
        self.data_dir = root / f"data-{count}"
        fill(self.data_dir, count)
        self.at = self.open()

    def open(self) -> AppTest:
        os.environ["STUDIO_DATA_DIR"] = str(self.data_dir)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.switch_page("pages/teacher.py")
        at.run()
        at.text_input(key="teacher_passcode_input").input(PASSCODE)
        at.button[0].click().run()
        if at.exception or not at.tabs:
            raise SystemExit(f"the teacher page failed: {at.exception}")
        return at

    def rerun(self) -> float:
        os.environ["STUDIO_DATA_DIR"] = str(self.data_dir)
        start = time.perf_counter()
        self.at.run()
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9, help="reruns per measurement (median kept)")
    parser.add_argument("--many", type=int, default=10_000, help="pictures in the big class")
    args = parser.parse_args()
    for name in ("OPENAI_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "STUDIO_ENGINE"):
        os.environ.pop(name, None)
    os.environ["TEACHER_PASSCODE"] = PASSCODE
    os.environ["STUDIO_ENV_FILE"] = ""

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        few, many = TeacherSession(Path(tmp), 100), TeacherSession(Path(tmp), args.many)
        print(f"filled and opened in {time.perf_counter() - started:.1f} s")
        samples: dict[int, list[float]] = {few.count: [], many.count: []}
        for _ in range(args.repeats):  # interleaved, so the machine's load weighs on both alike
            for session in (few, many):
                samples[session.count].append(session.rerun())
        shown = {s.count: len(s.at.image) for s in (few, many)}

        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        fresh = TeacherSession.open(many)
        for _ in range(3):
            fresh.run()
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
        tracemalloc.stop()
        state_bytes = 0
        for key in fresh.session_state:
            try:
                state_bytes += len(pickle.dumps((key, fresh.session_state[key])))
            except Exception:  # noqa: BLE001 - an unpicklable value still counts, by its repr
                state_bytes += len(repr(key).encode())

    for count in (few.count, many.count):
        wall = statistics.median(samples[count])
        print(f"{count:>6} pictures: rerun {wall * 1000:.1f} ms (median of {args.repeats}); "
              f"{shown[count]} pictures on the page")  # fmt: skip
    ratio = statistics.median(samples[many.count]) / statistics.median(samples[few.count])
    print(f"one teacher session at {many.count}: {held / 1e6:.2f} MB held, session state {state_bytes} bytes")
    print(f"first_page_ratio={ratio:.3f} session_mb={held / 1e6:.2f}")


if __name__ == "__main__":
    main()
