"""One assignment's hand-ins, exported: a ZIP of the PNGs, a CSV manifest and a PDF contact sheet.

- ZIP: every handed-in PNG as the studio saved it (its settings inside), named
  ``<student>_<title>_<hand-in id>.png``, plus ``manifest.csv``;
- CSV: one row per hand-in: student, title, sentence, prompt, engine, model, seed, time, comment;
- PDF (fpdf2): a printable contact sheet, one picture per cell with its title and the student's name.

No Streamlit: the teacher's Assignments tab calls these when a download button is clicked.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from lib.classroom import UTC, local_time, student_label
from lib.errors import BadInput
from lib.pictures import Entry
from lib.store import Store
from lib.store.classwork import Assignment, HandIn

MANIFEST_FIELDS = ("student", "title", "sentence", "prompt", "engine", "model", "seed", "time", "comment", "file")
#: A font with most of the world's letters, when the system has it (Debian's fonts-dejavu-core).
_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
MISSING = "(the picture was deleted)"


@dataclass(frozen=True)
class Row:
    """One hand-in with its picture's settings (``entry`` is None when the picture was deleted)."""

    handin: HandIn
    student: str
    entry: Entry | None
    file: str


def slug(text: str, limit: int = 40) -> str:
    """A file-name-safe version of ``text`` (letters, digits and dashes; accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()
    return cleaned[:limit].strip("-") or "untitled"


def rows(store: Store, assignment_id: int) -> list[Row]:
    """The assignment's hand-ins, oldest first, with each student's name and the picture's row."""
    names = store.roster.names()
    found: list[Row] = []
    for handin in reversed(store.classwork.class_handins(assignment_id)):
        try:
            entry: Entry | None = store.pictures.get(handin.owner, handin.image_id)
        except BadInput:
            entry = None
        student = student_label(handin.owner, names)
        file = f"{slug(student)}_{slug(handin.title)}_{handin.id}.png"
        found.append(Row(handin=handin, student=student, entry=entry, file=file))
    return found


def manifest_csv(found: list[Row], tz: ZoneInfo = UTC) -> bytes:
    """The manifest as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read accents)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS)
    writer.writeheader()
    for row in found:
        entry = row.entry
        writer.writerow({
            "student": row.student, "title": row.handin.title, "sentence": row.handin.sentence,
            "prompt": entry.prompt_typed if entry else MISSING, "engine": entry.engine if entry else "",
            "model": entry.model if entry else "", "seed": "" if entry is None or entry.seed is None else entry.seed,
            "time": local_time(row.handin.created, tz, year=True), "comment": row.handin.comment,
            "file": row.file if entry else "",
        })  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def zip_handins(store: Store, assignment_id: int, tz: ZoneInfo = UTC) -> bytes:
    """Every handed-in PNG (settings inside) and ``manifest.csv``, in one ZIP."""
    found = rows(store, assignment_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in found:
            if row.entry is not None:
                archive.writestr(row.file, store.pictures.read_png(row.handin.owner, row.handin.image_id, teacher=True))
        archive.writestr("manifest.csv", manifest_csv(found, tz), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def manifest(store: Store, assignment_id: int, tz: ZoneInfo = UTC) -> bytes:
    """The CSV manifest alone."""
    return manifest_csv(rows(store, assignment_id), tz)


def contact_sheet(store: Store, assignment: Assignment, tz: ZoneInfo = UTC) -> bytes:
    """A printable A4 PDF: the assignment's title, then each hand-in's picture, title and student."""
    from fpdf import FPDF

    found = rows(store, assignment.id)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{assignment.title}: hand-ins")
    pdf.set_auto_page_break(auto=False)
    font = next((path for path in _FONTS if path.is_file()), None)
    if font is not None:
        pdf.add_font("Sans", fname=str(font))
        family = "Sans"
        text: Callable[[str], str] = str
    else:  # the PDF core fonts know Latin-1 only
        family = "Helvetica"

        def text(value: str) -> str:
            return value.encode("latin-1", "replace").decode("latin-1")

    columns, cell_w, picture_h, cell_h, left, top = 3, 60.0, 58.0, 76.0, 15.0, 30.0
    per_page = columns * 3

    def heading() -> None:
        pdf.add_page()
        pdf.set_font(family, size=16)
        pdf.set_xy(left, 12)
        pdf.cell(180, 8, text(assignment.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=9)
        pdf.set_x(left)
        pdf.cell(180, 5, text(f"{len(found)} hand-in{'s' if len(found) != 1 else ''}"))

    heading()
    for index, row in enumerate(found):
        if index and index % per_page == 0:
            heading()
        slot = index % per_page
        x = left + (slot % columns) * cell_w
        y = top + (slot // columns) * cell_h
        if row.entry is not None:
            png = store.pictures.read_png(row.handin.owner, row.handin.image_id, teacher=True)
            pdf.image(io.BytesIO(png), x=x + 1, y=y, w=cell_w - 4, h=picture_h, keep_aspect_ratio=True)
        else:
            pdf.set_xy(x + 1, y + picture_h / 2)
            pdf.set_font(family, size=8)
            pdf.cell(cell_w - 4, 5, text(MISSING), align="C")
        pdf.set_xy(x + 1, y + picture_h + 1)
        pdf.set_font(family, size=9)
        pdf.cell(cell_w - 4, 5, text(row.handin.title[:60]), align="C")
        pdf.set_xy(x + 1, y + picture_h + 6)
        pdf.set_font(family, size=8)
        pdf.cell(cell_w - 4, 5, text(f"{row.student[:40]} · {local_time(row.handin.created, tz)}"), align="C")
    return bytes(pdf.output())
