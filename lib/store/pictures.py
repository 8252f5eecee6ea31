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
from lib.pictures import Entry, GeneratedImage, Operation, Overview, check_id, new_image_id, thumbnail
from lib.store.guard import Guard
from lib.store.objects import ObjectStore
from lib.store.schema import images

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
            "path": key, "thumbnail": thumbnail(image.png), "sha256": hashlib.sha256(png).hexdigest(),
            "meta": json.dumps(meta, ensure_ascii=False, default=str), "hidden": False,
        }  # fmt: skip

        def write() -> None:
            self._objects.put(key, png)
            with self._db.begin() as db:
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
            with self._db.begin() as db:
                gone = db.execute(images.delete().where(images.c.owner == owner, images.c.id == image_id)).rowcount
            if gone:
                self._objects.delete(key)
            return bool(gone)

        return self._guard(remove)

    def set_hidden(self, image_id: str, hidden: bool) -> bool:
        """The teacher hides (or shows again) one picture of any student. False if there is none."""
        check_id(image_id, "image id")

        def update() -> bool:
            with self._db.begin() as db:
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

    def overview(
        self,
        owner: str,
        *,
        page: str | None = None,
        engine: str | None = None,
        text: str | None = None,
        limit: int = 24,
        offset: int = 0,
    ) -> Overview:
        """Everything one gallery rerun needs, read in one connection (see :class:`Overview`)."""
        filters = Filters(owner=check_id(owner, "browser id"), page=page, engine=engine, text=text)
        mine = Filters(owner=owner)

        def run() -> Overview:
            with self._db.connect() as db:  # one connection, one snapshot for every number shown
                everything = self._count(db, mine)
                matching = everything if filters == mine else self._count(db, filters)
                pages = _distinct(db, images.c.page, owner)
                engines = _distinct(db, images.c.engine, owner)
                entries = self._page(filters, limit, offset, db)
            return Overview(total=everything, matching=matching, entries=entries, pages=pages, engines=engines)

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
            png=self.read_png(owner, image_id, teacher=teacher),
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
        entry = self.get(owner, image_id)
        if entry.hidden and not teacher:
            raise BadInput("Your teacher hid this picture, so it cannot be opened.")
        try:
            return self._guard(lambda: self._objects.get(object_key(owner, entry.id)))
        except FileNotFoundError as error:
            raise BadInput("That picture's file is missing from the picture store.") from error

    def zip_all(self, owner: str, out: IO[bytes] | None = None) -> bytes | None:
        """Every picture of ``owner`` as a ZIP; written to ``out`` if given, else returned as bytes.

        PNGs are already compressed, so they are stored as they are (fast, no CPU spent).
        """
        check_id(owner, "browser id")
        target: IO[bytes] = out if out is not None else io.BytesIO()
        query = sa.select(images.c.id, images.c.created).where(images.c.owner == owner).order_by(images.c.created)

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
