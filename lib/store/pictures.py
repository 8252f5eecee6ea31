"""The gallery part of the store: every picture saved the moment it exists.

The PNG (its settings in a text chunk) goes to the object store first, then its row is committed;
a process killed in between leaves an object no row points to, never a row without its picture.
Every query is filtered by ``owner`` (a student's browser or account), so students never see each
other's pictures; only the teacher's class view (:meth:`Pictures.class_page`) reads across owners.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import json
import logging
import time
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import IO, Any, cast

import sqlalchemy as sa
from PIL import Image, UnidentifiedImageError

from lib import pnginfo
from lib.errors import BadInput
from lib.pictures import (
    BATCH,
    EXPERIMENT,
    Entry,
    GeneratedImage,
    Group,
    Operation,
    Overview,
    check_id,
    new_image_id,
    thumbnail,
)
from lib.store.db import writing_first
from lib.store.guard import Guard
from lib.store.objects import ObjectStore
from lib.store.schema import images
from lib.workers import run_cpu

log = logging.getLogger(__name__)

#: Biggest PNG accepted by :meth:`Pictures.import_png`.
MAX_IMPORT_BYTES = 20_000_000
MAX_IMPORT_PIXELS = 4096 * 4096
_OPERATIONS: dict[str, Operation] = {"generate": "generate", "edit": "edit", "vary": "vary"}
_PAGE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")
#: Every column but the PNG's bytes (which are in the object store).
_LISTED = (
    images.c.id, images.c.owner, images.c.page, images.c.engine, images.c.model, images.c.operation,
    images.c.prompt_typed, images.c.prompt_sent, images.c.size, images.c.seed, images.c.temperature,
    images.c.created, images.c.thumbnail, images.c.meta, images.c.hidden,
)  # fmt: skip


def object_key(owner: str, image_id: str) -> str:
    """Where a picture's PNG lives in the object store."""
    return f"{check_id(owner, 'browser id')}/{check_id(image_id, 'image id')}.png"


def _image_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """GeneratedImage fields from a PNG's record, with wrong types dropped (the file may be hand-made)."""
    seed, temperature, created = record.get("seed"), record.get("temperature"), record.get("created")
    return {
        "engine": str(record.get("engine") or "unknown")[:64],
        "model": str(record.get("model") or "unknown")[:200],
        "operation": _OPERATIONS.get(str(record.get("operation")), "generate"),
        "prompt_sent": str(record.get("prompt_sent") or ""),
        "prompt_typed": str(record.get("prompt_typed") or ""),
        "size": str(record.get("size") or "")[:32],
        "seed": seed if isinstance(seed, int) and not isinstance(seed, bool) and abs(seed) < 2**62 else None,
        "temperature": float(temperature) if isinstance(temperature, int | float) else None,
        "quality": str(record["quality"]) if record.get("quality") else None,
        "created": float(created) if isinstance(created, int | float) and created > 0 else time.time(),
    }


#: How many pictures a folded experiment's card previews.
PREVIEW = 4
#: Pictures of one batch saved before batches had ids: same words and model, this close in time.
LEGACY_BATCH_S = 120.0
#: The longest a batch may take, first picture to last (a slow hosted engine, four pictures).
BATCH_S = 900.0


def _extra(dialect: str, key: str) -> sa.ColumnElement[str]:
    """``meta["extra"][key]`` as text, in the database (SQLite's JSON1, PostgreSQL's json)."""
    meta = sa.cast(images.c.meta, sa.JSON) if dialect == "postgresql" else sa.type_coerce(images.c.meta, sa.JSON)
    return cast("sa.ColumnElement[str]", meta[("extra", key)].as_string())


def _group_key(dialect: str) -> sa.ColumnElement[str]:
    """What folds pictures into one gallery card: a Compare run's experiment id, else the picture's id.

    Only Compare rows have their JSON read (``CASE`` stops there), so a gallery without
    experiments costs no JSON parsing. Compare pictures saved before experiments had ids fold
    by the minute they were made in.
    """
    minute = sa.literal("m:") + sa.cast(sa.cast(images.c.created / 60, sa.Integer), sa.String)
    experiment = sa.literal("x:") + _extra(dialect, EXPERIMENT)
    return sa.case((images.c.page == "compare", sa.func.coalesce(experiment, minute)), else_=images.c.id)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _entry(row: Any) -> Entry:
    m = row._mapping
    return Entry(
        id=m["id"], owner=m["owner"], page=m["page"], engine=m["engine"], model=m["model"],
        operation=m["operation"], prompt_typed=m["prompt_typed"], prompt_sent=m["prompt_sent"], size=m["size"],
        seed=m["seed"], temperature=m["temperature"], created=m["created"], thumbnail=bytes(m["thumbnail"]),
        meta=json.loads(m["meta"]), hidden=bool(m["hidden"]),
    )  # fmt: skip


def _distinct(db: sa.Connection, column: sa.Column[str], owner: str) -> list[str]:
    """The owner's distinct values of ``column``, in order, by hopping along the (owner, column) index.

    A handful of index probes (one per value) instead of reading every one of the owner's rows,
    so a student with 10,000 pictures gets the gallery's filter choices as fast as one with 100.
    """
    found: list[str] = []
    while True:
        after = [column > found[-1]] if found else []
        value = db.execute(sa.select(sa.func.min(column)).where(images.c.owner == owner, *after)).scalar()
        if value is None:
            return found
        found.append(str(value))


@dataclass(frozen=True, kw_only=True)
class Filters:
    """What a gallery or the class view may filter on; ``None`` means any."""

    owner: str | None = None
    page: str | None = None
    engine: str | None = None
    text: str | None = None
    hidden: bool | None = None
    since: float | None = None
    until: float | None = None
    ids: tuple[str, ...] | None = None

    def where(self) -> list[sa.ColumnElement[bool]]:
        clauses: list[sa.ColumnElement[bool]] = []
        if self.owner is not None:
            clauses.append(images.c.owner == check_id(self.owner, "browser id"))
        if self.page:
            clauses.append(images.c.page == self.page)
        if self.engine:
            clauses.append(images.c.engine == self.engine)
        if self.text and self.text.strip():
            pattern = _like(self.text.strip())
            clauses.append(
                sa.or_(
                    images.c.prompt_typed.ilike(pattern, escape="\\"), images.c.prompt_sent.ilike(pattern, escape="\\")
                )
            )
        if self.hidden is not None:
            clauses.append(images.c.hidden == self.hidden)
        if self.since is not None:
            clauses.append(images.c.created >= self.since)
        if self.until is not None:
            clauses.append(images.c.created < self.until)
        if self.ids is not None:
            clauses.append(images.c.id.in_(self.ids))
        return clauses


class Pictures:
    """Pictures in the database (rows, thumbnails) and the object store (PNGs)."""

    def __init__(self, engine: sa.Engine, objects: ObjectStore, guard: Guard) -> None:
        self._db = engine
        self._write = writing_first(engine)  # writers take SQLite's lock up front
        self._objects = objects
        # Turns the database's and the bucket's errors into StoreUnavailable (see lib.store.Store).
        self._guard = guard

    # -- writing -------------------------------------------------------------------------------
    def save(self, image: GeneratedImage, *, owner: str, page: str) -> str:
        """Store ``image`` for ``owner`` (object first, then row) and return its new id."""
        check_id(owner, "browser id")
        if not page or len(page) > 32 or not set(page) <= _PAGE_CHARS:
            raise BadInput("That page name is not valid.")
        image_id = new_image_id()
        meta = pnginfo.scrub({**image.metadata(), "page": page, "id": image_id})
        png = pnginfo.embed(image.png, meta)
        key = object_key(owner, image_id)
        row = {
            "id": image_id, "owner": owner, "page": page, "engine": image.engine, "model": image.model,
            "operation": image.operation, "prompt_typed": image.prompt_typed, "prompt_sent": image.prompt_sent,
            "size": image.size, "seed": image.seed, "temperature": image.temperature, "created": image.created,
            "path": key, "thumbnail": run_cpu(thumbnail, image.png), "sha256": hashlib.sha256(png).hexdigest(),
            "meta": json.dumps(meta, ensure_ascii=False, default=str), "hidden": False,
        }  # fmt: skip

        def write() -> None:
            self._objects.put(key, png)
            with self._write.begin() as db:
                db.execute(images.insert().values(**row))

        self._guard(write)
        return image_id

    def import_png(self, png: bytes, *, owner: str, page: str = "gallery") -> str:
        """Add a PNG the app made (e.g. dropped back in) to ``owner``'s gallery; return its id."""
        if len(png) > MAX_IMPORT_BYTES:
            raise BadInput("That file is too big to add to the gallery (20 MB at most).")
        record = pnginfo.read_settings(png)
        if record is None:
            raise BadInput("This picture was not made by the Image Studio, so it has no settings to read.")
        try:
            with Image.open(io.BytesIO(png)) as im:
                too_big = im.width * im.height > MAX_IMPORT_PIXELS
                im.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
            raise BadInput("This PNG file is damaged and cannot be opened.") from error
        if too_big:
            raise BadInput("This picture is too large to add to the gallery (4096 x 4096 pixels at most).")
        image = GeneratedImage(png=png, **_image_fields(record))
        return self.save(image, owner=owner, page=page)

    def delete(self, owner: str, image_id: str) -> bool:
        """Remove one of ``owner``'s pictures (row first, then file). False if it was not there."""
        key = object_key(owner, image_id)

        def remove() -> bool:
            with self._write.begin() as db:
                gone = db.execute(images.delete().where(images.c.owner == owner, images.c.id == image_id)).rowcount
            if gone:
                self._objects.delete(key)
            return bool(gone)

        return self._guard(remove)

    def set_hidden(self, image_id: str, hidden: bool) -> bool:
        """The teacher hides (or shows again) one picture of any student. False if there is none."""
        check_id(image_id, "image id")

        def update() -> bool:
            with self._write.begin() as db:
                return bool(db.execute(images.update().where(images.c.id == image_id).values(hidden=hidden)).rowcount)

        return self._guard(update)

    # -- reading -------------------------------------------------------------------------------
    def _page(self, filters: Filters, limit: int, offset: int, db: sa.Connection | None = None) -> list[Entry]:
        query = (
            sa.select(*_LISTED)
            .where(*filters.where())
            .order_by(images.c.created.desc(), images.c.id)
            .limit(max(0, int(limit)))
            .offset(max(0, int(offset)))
        )
        if db is not None:
            return [_entry(row) for row in db.execute(query)]
        with self._db.connect() as own:
            return [_entry(row) for row in own.execute(query)]

    def _count(self, db: sa.Connection, filters: Filters) -> int:
        return int(db.execute(sa.select(sa.func.count()).select_from(images).where(*filters.where())).scalar_one())

    def list(
        self,
        owner: str,
        *,
        page: str | None = None,
        engine: str | None = None,
        text: str | None = None,
        limit: int = 24,
        offset: int = 0,
    ) -> list[Entry]:
        """``owner``'s pictures, newest first, filtered; metadata and thumbnails only (no full PNG)."""
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text)
        return self._guard(lambda: self._page(filters, limit, offset))

    def count(self, owner: str, *, page: str | None = None, engine: str | None = None, text: str | None = None) -> int:
        """How many of ``owner``'s pictures match the filters."""
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text)

        def run() -> int:
            with self._db.connect() as db:
                return self._count(db, filters)

        return self._guard(run)

    def downloadable(
        self, owner: str, *, page: str | None = None, engine: str | None = None, text: str | None = None
    ) -> int:
        """How many pictures :meth:`zip_all` puts in the ZIP for these filters (the hidden ones are not)."""
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text, hidden=False)

        def run() -> int:
            with self._db.connect() as db:
                return self._count(db, filters)

        return self._guard(run)

    def overview(
        self,
        owner: str,
        *,
        page: str | None = None,
        engine: str | None = None,
        text: str | None = None,
        limit: int = 24,
        offset: int = 0,
        grouped: bool = False,
    ) -> Overview:
        """Everything one gallery rerun needs, read in one connection (see :class:`Overview`).

        ``grouped``: ``limit`` and ``offset`` count cards, where each Compare run or sweep is one
        card (:class:`Group`) previewing its first :data:`PREVIEW` pictures.
        """
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text)
        mine = Filters(owner=owner)

        def run() -> Overview:
            with self._db.connect() as db:  # one connection, one snapshot for every number shown
                everything = self._count(db, mine)
                matching = everything if filters == mine else self._count(db, filters)
                pages = _distinct(db, images.c.page, owner)
                engines = _distinct(db, images.c.engine, owner)
                if grouped:
                    count, groups = self._groups(db, filters, limit, offset)
                    return Overview(
                        total=everything, matching=matching, entries=[g.entries[0] for g in groups], pages=pages,
                        engines=engines, groups=groups, group_count=count,
                    )  # fmt: skip
                entries = self._page(filters, limit, offset, db)
            return Overview(total=everything, matching=matching, entries=entries, pages=pages, engines=engines)

        return self._guard(run)

    def _groups(self, db: sa.Connection, filters: Filters, limit: int, offset: int) -> tuple[int, builtins.list[Group]]:
        """How many cards match, and one page of them with their previews.

        Only Compare rows are grouped (their experiment id read from the JSON); every other
        picture is a card of its own, read newest first along the ``(owner, created)`` index for
        no more than this page needs. The two are merged here, so the cost grows with the
        number of Compare pictures, not with the whole gallery.
        """
        key = _group_key(self._db.dialect.name)
        start, stop = max(0, int(offset)), max(0, int(offset)) + max(0, int(limit))
        others = [*filters.where(), images.c.page != "compare"]
        experiments = db.execute(
            sa.select(
                key.label("key"), sa.func.min(images.c.created).label("oldest"),
                sa.func.max(images.c.created).label("newest"), sa.func.count().label("n"),
            )
            .where(*filters.where(), images.c.page == "compare")
            .group_by(key)
        ).all()  # fmt: skip
        alone = int(db.execute(sa.select(sa.func.count()).select_from(images).where(*others)).scalar_one())
        newest_alone = db.execute(
            sa.select(images.c.id.label("key"), images.c.created.label("newest"))
            .where(*others)
            .order_by(images.c.created.desc(), images.c.id)
            .limit(stop)
        ).all()
        merged = sorted(
            [(float(r.newest), str(r.key), 1) for r in newest_alone]
            + [(float(r.newest), str(r.key), int(r.n)) for r in experiments],
            key=lambda card: (-card[0], card[1]),
        )[start:stop]
        previews: dict[str, builtins.list[Entry]] = {k: [] for _, k, _ in merged}
        singles = [k for k in previews if not k.startswith(("x:", "m:"))]
        if singles:
            for row in db.execute(sa.select(*_LISTED).where(*others, images.c.id.in_(singles))):
                previews[row.id].append(_entry(row))
        runs = [r for r in experiments if str(r.key) in previews]
        if runs:
            ranked = (
                sa.select(
                    *_LISTED,
                    key.label("key"),
                    sa.func.row_number().over(partition_by=key, order_by=(images.c.created, images.c.id)).label("rank"),
                )
                .where(
                    *filters.where(),
                    images.c.page == "compare",
                    images.c.created >= min(float(r.oldest) for r in runs),
                    images.c.created <= max(float(r.newest) for r in runs),
                    key.in_([str(r.key) for r in runs]),
                )  # fmt: skip
                .subquery()
            )
            rows = db.execute(sa.select(ranked).where(ranked.c.rank <= PREVIEW).order_by(ranked.c.key, ranked.c.rank))
            for row in rows:
                previews[str(row.key)].append(_entry(row))
        groups = [Group(key=k, count=n, newest=newest, entries=previews[k]) for newest, k, n in merged if previews[k]]
        return alone + len(experiments), groups

    def experiment(self, owner: str, key: str, *, limit: int = 60) -> builtins.list[Entry]:
        """Every picture of one folded card (:attr:`Group.key`), oldest first, up to ``limit``."""
        mine = Filters(owner=check_id(owner, "browser id"))
        query = (
            sa.select(*_LISTED)
            .where(*mine.where(), images.c.page == "compare", _group_key(self._db.dialect.name) == key)
            .order_by(images.c.created, images.c.id)
            .limit(max(0, int(limit)))
        )

        def run() -> builtins.list[Entry]:
            with self._db.connect() as db:
                return [_entry(row) for row in db.execute(query)]

        return self._guard(run)

    def last_batch(self, owner: str, page: str) -> builtins.list[Entry]:
        """The pictures of ``owner``'s newest run on ``page``, in the order they were made.

        A run is one click: the pictures share the ``batch`` id in their metadata. Pictures
        saved before batches had ids count as one run when they have the same words, engine and
        model and were made within :data:`LEGACY_BATCH_S` of the newest one.
        """
        mine = Filters(owner=check_id(owner, "browser id"), page=page)

        def run() -> builtins.list[Entry]:
            with self._db.connect() as db:
                newest = self._page(mine, 1, 0, db)
                if not newest:
                    return []
                last = newest[0]
                batch = (last.meta.get("extra") or {}).get(BATCH)
                since = last.created - (BATCH_S if batch else LEGACY_BATCH_S)
                near = Filters(owner=owner, page=page, since=since, until=last.created + 1)
                candidates = self._page(near, 200, 0, db)
            same = [
                e
                for e in candidates
                if ((e.meta.get("extra") or {}).get(BATCH) == batch if batch else (
                    e.prompt_typed, e.engine, e.model) == (last.prompt_typed, last.engine, last.model))
            ]  # fmt: skip
            return sorted(same, key=lambda e: (e.created, e.id))

        return self._guard(run)

    def class_page(self, filters: Filters, *, limit: int = 24, offset: int = 0) -> tuple[int, builtins.list[Entry]]:
        """The teacher's class view: how many pictures match, and one page of them, newest first."""

        def run() -> tuple[int, builtins.list[Entry]]:
            with self._db.connect() as db:
                matching = self._count(db, filters)
            return matching, self._page(filters, limit, offset)

        return self._guard(run)

    def get(self, owner: str, image_id: str) -> Entry:
        """One of ``owner``'s pictures; BadInput if there is no such picture for this owner."""
        mine = Filters(owner=check_id(owner, "browser id"), ids=(check_id(image_id, "image id"),))
        found = self._guard(lambda: self._page(mine, 1, 0))
        if not found:
            raise BadInput("That picture is not in your gallery (it may have been deleted).")
        return found[0]

    def load(self, owner: str, image_id: str, *, teacher: bool = False) -> GeneratedImage:
        """The stored picture as an engine made it: the PNG (settings inside) and what made it."""
        entry = self.get(owner, image_id)
        meta = entry.meta
        return GeneratedImage(
            png=self._object(owner, entry, teacher=teacher),
            engine=entry.engine,
            model=entry.model,
            operation=cast(Operation, entry.operation),
            prompt_sent=entry.prompt_sent,
            prompt_typed=entry.prompt_typed,
            size=entry.size,
            revised_prompt=meta.get("revised_prompt"),
            seed=entry.seed,
            temperature=entry.temperature,
            quality=meta.get("quality"),
            created=entry.created,
            elapsed_s=float(meta.get("elapsed_s") or 0.0),
            extra=dict(meta.get("extra") or {}),
        )

    def read_png(self, owner: str, image_id: str, *, teacher: bool = False) -> bytes:
        """The full PNG (with its settings inside) of one of ``owner``'s pictures.

        A picture the teacher hid is not handed to its student (not to Edit, Variations or a
        download either); only the teacher's own views ask with ``teacher=True``.
        """
        return self._object(owner, self.get(owner, image_id), teacher=teacher)

    def _object(self, owner: str, entry: Entry, *, teacher: bool) -> bytes:
        """The PNG of a picture whose row was just read (one database query less than read_png)."""
        if entry.hidden and not teacher:
            raise BadInput("Your teacher hid this picture, so it cannot be opened.")
        image_id = entry.id
        try:
            return self._guard(lambda: self._objects.get(object_key(owner, image_id)))
        except FileNotFoundError as error:
            raise BadInput("That picture's file is missing from the picture store.") from error

    def zip_all(
        self,
        owner: str,
        out: IO[bytes] | None = None,
        *,
        page: str | None = None,
        engine: str | None = None,
        text: str | None = None,
    ) -> bytes | None:
        """``owner``'s pictures matching the filters as a ZIP; written to ``out`` if given, else returned.

        It is the student's own download, so a picture the teacher hid is left out (as
        :meth:`read_png` refuses it); :meth:`downloadable` counts what it holds.
        PNGs are already compressed, so they are stored as they are (fast, no CPU spent).
        """
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text, hidden=False)
        target: IO[bytes] = out if out is not None else io.BytesIO()
        query = sa.select(images.c.id, images.c.created).where(*filters.where()).order_by(images.c.created)

        def rows() -> builtins.list[tuple[str, float]]:
            with self._db.connect() as db:
                return [(str(r.id), float(r.created)) for r in db.execute(query)]

        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
            for image_id, created in self._guard(rows):
                stamp = time.strftime("%Y-%m-%d_%H-%M-%S", time.gmtime(created))
                key = object_key(owner, image_id)
                try:
                    zf.writestr(f"{stamp}_{image_id}.png", self._guard(partial(self._objects.get, key)))
                except FileNotFoundError:
                    log.warning("zip: the file of picture %s is missing", image_id)
        return None if out is not None else target.getvalue()  # type: ignore[attr-defined]
