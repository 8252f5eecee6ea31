"""What the translations cost: the app's start and a rerun of Create, in each language against English.

Run from the repository root: ``python bench/i18n.py``. Streamlit's AppTest runs the real app
(``app.py`` and the Create page, on the offline storybook engine) with ``?lang=``:

* ``start``: a fresh Python process that imports the app and draws Create once (the first visit of
  a new server), per language; the catalogs are compiled already (``scripts/i18n compile``, or the
  first start of the app did it), as on any start but the very first;
* ``rerun``: one run of ``app.py`` and Create in a warm process (Streamlit runs the whole script
  again on every click and every key typed in a field). Each run is a new AppTest session with
  ``?lang=``, because AppTest sends the URL only with a session's first run; the languages take
  turns, round after round, so that the machine's noise falls on all of them alike;
* ``compile``: reading one ``.po`` and compiling it in memory (what the very first start of a
  language costs once, when no ``.mo`` is there: Streamlit Community Cloud's first visit).

The machine is shared, so the ratios compare each language's *best* time with English's best
(what the code costs, without the other programs' noise); medians are printed too. The last line
is ``worst_start_ratio=<x> worst_rerun_ratio=<y>`` (target: both <= 1.05, i.e. no language more
than 5 % slower than English).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lib.ui import i18n  # noqa: E402

#: Create's title in each language: each timed run must have drawn the page in its language.
TITLES = {"en": "Create a picture", "es": "Crea una imagen", "fr": "Crée une image", "pt_BR": "Crie uma imagem",
          "de": "Mach ein Bild", "hi": "एक तस्वीर बनाओ", "ar": "اصنع صورة", "zh_Hans": "创作一张图片"}  # fmt: skip

_START = """
import sys, time, json
started = time.perf_counter()
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=120)
at.query_params["lang"] = {lang!r}
at.switch_page("pages/create.py").run()
assert not at.exception, at.exception
print(json.dumps({{"seconds": time.perf_counter() - started, "title": at.title[0].value}}))
"""


def start_time(lang: str, data_dir: str) -> float:
    """Seconds from a fresh interpreter to Create drawn once in ``lang``."""
    code = _START.format(app=str(ROOT / "app.py"), lang=lang)
    env = {**os.environ, "STUDIO_DATA_DIR": data_dir, "STUDIO_ENGINE": "storybook", "STUDIO_ENV_FILE": ""}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])["seconds"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5, help="fresh processes per language")
    parser.add_argument("--reruns", type=int, default=25, help="rounds of reruns")
    args = parser.parse_args()
    langs = list(i18n.LANGUAGES)
    subprocess.run([str(ROOT / "scripts" / "i18n"), "compile"], check=True, capture_output=True)

    compile_ms = {}
    for lang in langs[1:]:
        started = time.perf_counter()
        i18n.compile_catalog(lang)
        compile_ms[lang] = (time.perf_counter() - started) * 1000

    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.update({"STUDIO_DATA_DIR": data_dir, "STUDIO_ENGINE": "storybook", "STUDIO_ENV_FILE": ""})
        starts: dict[str, list[float]] = {lang: [] for lang in langs}
        for _ in range(args.starts):
            for lang in langs:
                starts[lang].append(start_time(lang, data_dir))

        from streamlit.testing.v1 import AppTest

        def fresh(lang: str) -> AppTest:
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
            at.query_params["lang"] = lang
            return at

        for lang in langs:
            fresh(lang).run()  # untimed: every module imported, every catalog and cache warm
        reruns: dict[str, list[float]] = {lang: [] for lang in langs}
        for _ in range(args.reruns):
            for lang in langs:
                at = fresh(lang)
                started = time.perf_counter()
                at.run()
                reruns[lang].append(time.perf_counter() - started)
                assert not at.exception and at.title[0].value.endswith(TITLES[lang]), at.title

    base_start, base_rerun = min(starts["en"]), min(reruns["en"])
    head = ("language", "start s", "median", "ratio", "rerun ms", "median", "ratio", "compile ms")
    print("{:10} {:>8} {:>7} {:>6} {:>9} {:>7} {:>6} {:>11}".format(*head))
    worst_start = worst_rerun = 0.0
    for lang in langs:
        start, rerun = min(starts[lang]), min(reruns[lang])
        start_ratio, rerun_ratio = start / base_start, rerun / base_rerun
        if lang != "en":
            worst_start, worst_rerun = max(worst_start, start_ratio), max(worst_rerun, rerun_ratio)
        compiled = f"{compile_ms[lang]:.1f}" if lang in compile_ms else "-"
        print(
            f"{lang:10} {start:8.2f} {statistics.median(starts[lang]):7.2f} {start_ratio:6.3f} "
            f"{rerun * 1000:9.1f} {statistics.median(reruns[lang]) * 1000:7.1f} {rerun_ratio:6.3f} {compiled:>11}"
        )
    print(f"worst_start_ratio={worst_start:.3f} worst_rerun_ratio={worst_rerun:.3f}")


if __name__ == "__main__":
    main()
