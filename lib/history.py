"""The gallery's store: every image saved the moment it exists, so that no student loses one.

Layout under the data folder::

    data_dir/history.sqlite3            one row per image (metadata + a small thumbnail)
    data_dir/images/<owner>/<id>.png    the full picture, its settings in a PNG text chunk

Writes are crash-safe: the PNG is written to a temporary file, fsynced and renamed into place,
and only then is the row committed (SQLite in WAL mode). A process killed at any point leaves
either nothing, or an orphan file that no row points to; every row always has its file.

Each browser has an ``owner`` id (random, kept in the URL); every query is filtered by it, so
owners never see each other's images. Owner and image ids are checked against a strict pattern
before they touch a path, which rules out path traversal.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import secrets
import sqlite3
import time
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeGuard, cast

from PIL import Image, UnidentifiedImageError

from lib import pnginfo
from lib.engines.base import GeneratedImage, Operation
from lib.errors import BadInput
from lib.files import atomic_write

_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_PAGE = re.compile(r"^[a-z0-9_-]{1,32}$")
#: Longest side of the thumbnail kept in each row.
THUMB_PX = 192
#: Biggest PNG accepted by :meth:`History.import_png`.
MAX_IMPORT_BYTES = 20_000_000
MAX_IMPORT_PIXELS = 4096 * 4096
_OPERATIONS: dict[str, Operation] = {"generate": "generate", "edit": "edit", "vary": "vary"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS images (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    page TEXT NOT NULL,
    engine TEXT NOT NULL,
    model TEXT NOT NULL,
    operation TEXT NOT NULL,
    prompt_typed TEXT NOT NULL,
    prompt_sent TEXT NOT NULL,
    size TEXT NOT NULL,
    seed INTEGER,
    temperature REAL,
    created REAL NOT NULL,
    path TEXT NOT NULL,
    thumbnail BLOB NOT NULL,
    meta TEXT NOT NULL
);
-- Each index covers one query of the gallery, so a page of results, the filter choices and
-- the counts read index entries only, never the rows with their thumbnails.
CREATE INDEX IF NOT EXISTS images_owner_newest ON images (owner, created DESC, id);
CREATE INDEX IF NOT EXISTS images_owner_page ON images (owner, page);
CREATE INDEX IF NOT EXISTS images_owner_engine ON images (owner, engine);
"""
_COLUMNS = (
    "id, owner, page, engine, model, operation, prompt_typed, prompt_sent, size, seed, temperature, "
    "created, path, thumbnail, meta"
)


def new_owner_id() -> str:
    """A fresh random browser id (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def new_image_id() -> str:
    """A fresh random image id (16 URL-safe characters)."""
    return secrets.token_urlsafe(12)


def is_valid_id(value: object) -> TypeGuard[str]:
    """True for a safe id: letters, digits, ``-`` and ``_``, 8 to 64 of them (ASCII only)."""
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def check_id(value: object, what: str = "id") -> str:
    """Return ``value`` if it is a safe id (letters, digits, ``-``, ``_``; 8 to 64); else BadInput."""
    if not is_valid_id(value):
        raise BadInput(f"That {what} is not valid: it may only hold letters, digits, '-' and '_' (8 to 64).")
    return value


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One stored image without its pixels: what the gallery lists and filters."""

    id: str
    owner: str
    page: str
    engine: str
    model: str
    operation: str
    prompt_typed: str
    prompt_sent: str
    size: str
    seed: int | None
    temperature: float | None
    created: float
    #: Relative to the data folder.
    path: str
    #: A small JPEG (longest side :data:`THUMB_PX`).
    thumbnail: bytes = field(repr=False)
    #: The full metadata record, as written in the PNG.
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def settings(self) -> dict[str, Any]:
        """The settings "use these again" puts back into the Create page."""
        return pnginfo.reusable_settings(self.meta)


@dataclass(frozen=True, kw_only=True)
class Overview:
    """One page of a gallery: the counts, the entries shown, and the choices for the filters."""

    #: All of the owner's images.
    total: int
    #: Images matching the filters.
    matching: int
    entries: list[Entry]
    pages: list[str]
    engines: list[str]


def thumbnail(png: bytes, px: int = THUMB_PX) -> bytes:
    """A small JPEG of ``png`` whose longest side is at most ``px`` (transparency shown as white).

    JPEG because ``st.image`` passes JPEG bytes through untouched when told the format, whereas
    it re-encodes WEBP on every rerun: the gallery's grid then costs almost nothing per thumbnail.
    """
    with Image.open(io.BytesIO(png)) as im:
        im.draft("RGB", (px, px))
        im.thumbnail((px, px))
        rgba = im.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, format="JPEG", quality=82, optimize=True)
    return out.getvalue()


def _image_fields(record: Mapping[str, Any]) -> dict[str, Any]:
    """GeneratedImage fields from a PNG's record, with wrong types dropped (the file may be hand-made)."""
    seed, temperature, created = record.get("seed"), record.get("temperature"), record.get("created")
    return {
        "engine": str(record.get("engine") or "unknown"),
        "model": str(record.get("model") or "unknown"),
        "operation": _OPERATIONS.get(str(record.get("operation")), "generate"),
        "prompt_sent": str(record.get("prompt_sent") or ""),
        "prompt_typed": str(record.get("prompt_typed") or ""),
        "size": str(record.get("size") or ""),
        "seed": seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
        "temperature": float(temperature) if isinstance(temperature, int | float) else None,
        "quality": str(record["quality"]) if record.get("quality") else None,
        "created": float(created) if isinstance(created, int | float) else time.time(),
    }


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class History:
    """The image store under ``data_dir``. Safe to share between threads and processes.

    Every call opens its own short-lived SQLite connection (WAL, busy timeout), so one object can
    be cached process-wide and used from every Streamlit session.
    """

    def __init__(self, data_dir: str | os.PathLike[str], *, busy_timeout_s: float = 30.0) -> None:
        self.root = Path(data_dir).resolve()
        self.images_dir = self.root / "images"
        self.db_path = self.root / "history.sqlite3"
        self._timeout = busy_timeout_s
        self.images_dir.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.db_path, timeout=self._timeout, isolation_level=None)
        try:
            # NORMAL is durable across process crashes in WAL mode (only power loss can undo a commit).
            db.execute("PRAGMA synchronous=NORMAL")
            yield db
        finally:
            db.close()

    def _file(self, owner: str, image_id: str) -> Path:
        path = (self.images_dir / check_id(owner, "browser id") / f"{check_id(image_id, 'image id')}.png").resolve()
        if not path.is_relative_to(self.images_dir):  # belt and braces: the pattern already forbids it
            raise BadInput("That image is not in the gallery.")
        return path

    # -- writing -------------------------------------------------------------------------------
    def save(self, image: GeneratedImage, *, owner: str, page: str) -> str:
        """Store ``image`` for ``owner`` (file first, then row) and return its new id.

        Matches :data:`lib.studio.SaveImage`.
        """
        check_id(owner, "browser id")
        if not _PAGE.fullmatch(page):
            raise BadInput("That page name is not valid.")
        image_id = new_image_id()
        meta = pnginfo.scrub({**image.metadata(), "page": page, "id": image_id})
        png = pnginfo.embed(image.png, meta)
        path = self._file(owner, image_id)
        thumb = thumbnail(image.png)
        atomic_write(path, png)
        row = (
            image_id, owner, page, image.engine, image.model, image.operation, image.prompt_typed,
            image.prompt_sent, image.size, image.seed, image.temperature, image.created,
            path.relative_to(self.root).as_posix(), thumb, json.dumps(meta, ensure_ascii=False, default=str),
        )  # fmt: skip
        with self._connect() as db:
            db.execute(f"INSERT INTO images ({_COLUMNS}) VALUES ({', '.join('?' * 15)})", row)
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
        """Remove one of ``owner``'s images (row first, then file). False if it was not there."""
        path = self._file(owner, image_id)
        with self._connect() as db:
            gone = db.execute("DELETE FROM images WHERE owner = ? AND id = ?", (owner, image_id)).rowcount
        if gone:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        return bool(gone)

    # -- reading -------------------------------------------------------------------------------
    @staticmethod
    def _where(owner: str, page: str | None, engine: str | None, text: str | None) -> tuple[str, list[Any]]:
        clauses, params = ["owner = ?"], [check_id(owner, "browser id")]
        if page:
            clauses.append("page = ?")
            params.append(page)
        if engine:
            clauses.append("engine = ?")
            params.append(engine)
        if text and text.strip():
            clauses.append("(prompt_typed LIKE ? ESCAPE '\\' OR prompt_sent LIKE ? ESCAPE '\\')")
            params += [_like(text.strip())] * 2
        return " AND ".join(clauses), params

    @staticmethod
    def _entry(row: tuple[Any, ...]) -> Entry:
        (id_, owner, page, engine, model, operation, typed, sent, size, seed, temp, created, path, thumb, meta) = row
        return Entry(
            id=id_, owner=owner, page=page, engine=engine, model=model, operation=operation, prompt_typed=typed,
            prompt_sent=sent, size=size, seed=seed, temperature=temp, created=created, path=path,
            thumbnail=bytes(thumb), meta=json.loads(meta),
        )  # fmt: skip

    @classmethod
    def _page_of(cls, db: sqlite3.Connection, where: str, params: list[Any], limit: int, offset: int) -> list[Entry]:
        """One page of matching entries, newest first (one SQL text for the list and the overview)."""
        sql = f"SELECT {_COLUMNS} FROM images WHERE {where} ORDER BY created DESC, id LIMIT ? OFFSET ?"
        rows = db.execute(sql, [*params, max(0, int(limit)), max(0, int(offset))]).fetchall()
        return [cls._entry(r) for r in rows]

    @staticmethod
    def _count(db: sqlite3.Connection, where: str, params: list[Any]) -> int:
        (n,) = db.execute(f"SELECT COUNT(*) FROM images WHERE {where}", params).fetchone()
        return int(n)

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
        """``owner``'s images, newest first, filtered; metadata and thumbnails only (no full PNG)."""
        where, params = self._where(owner, page, engine, text)
        with self._connect() as db:
            return self._page_of(db, where, params, limit, offset)

    def count(self, owner: str, *, page: str | None = None, engine: str | None = None, text: str | None = None) -> int:
        """How many of ``owner``'s images match the filters."""
        where, params = self._where(owner, page, engine, text)
        with self._connect() as db:
            return self._count(db, where, params)

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
        where, params = self._where(owner, page, engine, text)
        with self._connect() as db:
            everything = self._count(db, "owner = ?", [owner])
            matching = self._count(db, where, params)
            entries = self._page_of(db, where, params, limit, offset)
            pages = [r[0] for r in db.execute("SELECT DISTINCT page FROM images WHERE owner = ? ORDER BY 1", (owner,))]
            engines = [
                r[0] for r in db.execute("SELECT DISTINCT engine FROM images WHERE owner = ? ORDER BY 1", (owner,))
            ]
        return Overview(
            total=everything, matching=matching, entries=entries,
            pages=pages, engines=engines,
        )  # fmt: skip

    def get(self, owner: str, image_id: str) -> Entry:
        """One of ``owner``'s images; BadInput if there is no such image for this owner."""
        check_id(owner, "browser id")
        check_id(image_id, "image id")
        with self._connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM images WHERE owner = ? AND id = ?", (owner, image_id)).fetchone()
        if row is None:
            raise BadInput("That picture is not in your gallery (it may have been deleted).")
        return self._entry(row)

    def load(self, owner: str, image_id: str) -> GeneratedImage:
        """The stored picture as an engine made it: the PNG (settings inside) and what made it."""
        entry = self.get(owner, image_id)
        meta = entry.meta
        return GeneratedImage(
            png=self.read_png(owner, image_id),
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

    def read_png(self, owner: str, image_id: str) -> bytes:
        """The full PNG (with its settings inside) of one of ``owner``'s images, read from disk."""
        entry = self.get(owner, image_id)
        try:
            return self._file(owner, entry.id).read_bytes()
        except FileNotFoundError as error:
            raise BadInput("That picture's file is missing from the gallery folder.") from error

    def zip_all(self, owner: str, out: IO[bytes] | None = None) -> bytes | None:
        """Every image of ``owner`` as a ZIP; written to ``out`` if given, else returned as bytes.

        PNGs are already compressed, so they are stored as they are (fast, no CPU spent).
        """
        check_id(owner, "browser id")
        target: IO[bytes] = out if out is not None else io.BytesIO()
        with self._connect() as db:
            rows = db.execute("SELECT id, created FROM images WHERE owner = ? ORDER BY created", (owner,)).fetchall()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
            for image_id, created in rows:
                stamp = time.strftime("%Y-%m-%d_%H-%M-%S", time.gmtime(created))
                with contextlib.suppress(FileNotFoundError):
                    zf.writestr(f"{stamp}_{image_id}.png", self._file(owner, image_id).read_bytes())
        return None if out is not None else target.getvalue()  # type: ignore[attr-defined]
