"""How the store holds up for a class and for a school: many writers at once, and big galleries.

1. 30 writers (one thread each, like 30 students' sessions on one server) save 20 pictures each
   at the same moment, on the embedded store (SQLite + folder) and on PostgreSQL + S3 (a real
   PostgreSQL cluster and moto's S3 server, started here). Prints pictures lost (must be 0), save
   p50/p95 in ms, and p95 at 30 writers / p95 at 1 writer.
2. The gallery page query (``Pictures.overview``, one page of 24) for one student who has 10,000
   pictures in a class of 100,000, against a student who has 100. Target ratio <= 1.5.

Run from the repository root: ``.venv/bin/python bench/store.py`` (``--quick`` for smaller numbers).
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from PIL import Image  # noqa: E402

from lib.pictures import GeneratedImage, new_image_id, new_owner_id, thumbnail  # noqa: E402
from lib.store import Store  # noqa: E402
from lib.store.schema import images  # noqa: E402
from tests.store_servers import moto_server, postgres_cluster  # noqa: E402


def picture(seed: int) -> bytes:
    """A 512 x 512 PNG about as heavy as a storybook picture."""
    im = Image.effect_noise((64, 64), 30 + seed % 20).convert("RGB").resize((512, 512), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    im.save(out, format="PNG")
    return out.getvalue()


def made(png: bytes, i: int) -> GeneratedImage:
    return GeneratedImage(png=png, engine="storybook", model="storybook-1", operation="generate",
                          prompt_sent=f"picture {i}", prompt_typed=f"picture {i}", size="512x512", seed=i)  # fmt: skip


def writers(store: Store, count: int, each: int, pngs: list[bytes]) -> tuple[list[float], int]:
    """``count`` threads save ``each`` pictures at once; the save times (ms) and pictures lost."""
    owners = [new_owner_id() for _ in range(count)]
    times: list[float] = []
    lock, start = threading.Lock(), threading.Barrier(count)

    def write(owner: str) -> None:
        start.wait()
        for i in range(each):
            began = time.perf_counter()
            store.pictures.save(made(pngs[i % len(pngs)], i), owner=owner, page="create")
            with lock:
                times.append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=write, args=(owner,)) for owner in owners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lost = sum(each - store.pictures.count(owner) for owner in owners)
    return times, lost


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def fill(store: Store, owner: str, count: int, thumb: bytes, meta: str, start: float) -> None:
    """Rows only (the gallery query reads rows, not PNGs), in batches."""
    rows = [
        {"id": new_image_id(), "owner": owner, "page": "create", "engine": "storybook", "model": "storybook-1",
         "operation": "generate", "prompt_typed": f"p{i}", "prompt_sent": f"p{i}", "size": "512x512", "seed": i,
         "temperature": 0.5, "created": start + i, "path": f"{owner}/x.png", "thumbnail": thumb, "meta": meta,
         "hidden": False}
        for i in range(count)
    ]  # fmt: skip
    with store.engine.begin() as db:
        for at in range(0, len(rows), 5000):
            db.execute(images.insert(), rows[at : at + 5000])


def timed(call: Callable[[], object], repeat: int = 30) -> float:
    call()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def gallery_query(store: Store, *, class_size: int, big: int) -> tuple[float, float]:
    """Median ms of one gallery page for a student with ``big`` pictures and one with 100."""
    thumb = thumbnail(picture(1))
    heavy, light = new_owner_id(), new_owner_id()
    fill(store, heavy, big, thumb, "{}", 1_000_000.0)
    fill(store, light, 100, thumb, "{}", 2_000_000.0)
    others = class_size - big - 100
    per = max(1, others // 200)
    for _ in range(200):
        fill(store, new_owner_id(), per, thumb, "{}", 3_000_000.0)
    # What autovacuum does to a real school's database after a bulk load (statistics and the
    # visibility map, without which PostgreSQL's index-only scans read the table too).
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as db:
        db.execute(sa.text("VACUUM ANALYZE images" if db.dialect.name == "postgresql" else "ANALYZE"))
    return (
        timed(lambda: store.pictures.overview(heavy, limit=24)),
        timed(lambda: store.pictures.overview(light, limit=24)),
    )


def measure(name: str, store: Store, *, count: int, each: int, class_size: int, big: int) -> dict[str, float]:
    pngs = [picture(i) for i in range(8)]
    one, _ = writers(store, 1, each, pngs)
    many, lost = writers(store, count, each, pngs)
    heavy, light = gallery_query(store, class_size=class_size, big=big)
    r = {"lost": lost, "p50": pct(many, 0.5), "p95": pct(many, 0.95), "ratio": pct(many, 0.95) / pct(one, 0.95),
         "gallery_ratio": heavy / light}  # fmt: skip
    print(f"{name}: lost={lost} save_p50_ms={r['p50']:.1f} save_p95_ms={r['p95']:.1f} "
          f"save_p95_1_writer_ms={pct(one, 0.95):.1f} p95_30_over_1={r['ratio']:.2f} "
          f"gallery_ms_{big}={heavy:.2f} gallery_ms_100={light:.2f} "
          f"gallery_ratio={r['gallery_ratio']:.2f}")  # fmt: skip
    store.close()
    return r


def main() -> None:
    from lib.store.objects import S3Bucket
    from tests.store_servers import S3_KEY_ID, S3_REGION, S3_SECRET

    quick = "--quick" in sys.argv
    sizes = {"count": 10, "each": 5, "class_size": 10_000, "big": 1_000} if quick else \
        {"count": 30, "each": 20, "class_size": 100_000, "big": 10_000}  # fmt: skip
    print(f"picture size: {len(picture(0)) // 1024} KB; {sizes}")
    with tempfile.TemporaryDirectory() as folder:
        e = measure("embedded", Store.embedded(Path(folder) / "data"), **sizes)
    with postgres_cluster() as pg, moto_server() as s3:
        bucket = S3Bucket(s3.new_bucket(), "bench", endpoint_url=s3.endpoint, region=S3_REGION,
                          access_key_id=S3_KEY_ID, secret_access_key=S3_SECRET)  # fmt: skip
        p = measure("postgresql+s3", Store(pg.create_database(), bucket), **sizes)
    print(
        f"lost={int(e['lost'] + p['lost'])} embedded_p95_ratio={e['ratio']:.2f} school_p95_ratio={p['ratio']:.2f} "
        f"embedded_gallery_ratio={e['gallery_ratio']:.2f} school_gallery_ratio={p['gallery_ratio']:.2f}"
    )


if __name__ == "__main__":
    main()
