"""One assignment's hand-ins, exported: a ZIP of the PNGs, a CSV manifest and a PDF contact sheet.

- ZIP: every handed-in PNG as the studio saved it (its settings inside), named
  ``<student>_<title>_<hand-in id>.png``, plus ``manifest.csv``;
- CSV: one row per hand-in: student, title, sentence, prompt, engine, model, seed, time, comment;
- PDF (fpdf2): a printable contact sheet, one picture per cell with its title and the student's name.

No Streamlit: the teacher's Assignments tab calls these when a download button is clicked, with
the teacher's :class:`Language` (a translate function and a locale; English by default). The CSV's
header row and the PDF's words are said in it; the CSV's *columns* keep their order, so a sheet
made in one language lines up with one made in another.

The PDF is written with DejaVu Sans (Latin, Greek, Cyrillic, Arabic), with Lohit Devanagari
(Hindi) and WenQuanYi Micro Hei (Chinese) as fallbacks when installed, and shaped with HarfBuzz
(``uharfbuzz``: Arabic letters joined and laid right to left, Hindi's vowel signs in place). A
label whose letters no installed font has is written in English; a student's own words lose
only the letters that cannot be drawn ("?").
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from lib.classroom import UTC, local_time, student_label
from lib.errors import BadInput
from lib.messages import N_, Msg
from lib.pictures import Entry
from lib.store import Store
from lib.store.classwork import Assignment, HandIn

#: The manifest's columns, in order (the header row says them in the teacher's language).
MANIFEST_FIELDS = (
    N_("student"), N_("title"), N_("sentence"), N_("prompt"), N_("engine"), N_("model"), N_("seed"), N_("time"),
    N_("comment"), N_("file"),
)  # fmt: skip
MISSING = N_("(the picture was deleted)")
#: The fonts of the contact sheet, when the system has them: (family, file, number in a collection).
#: The first writes every text; the others draw the letters it lacks (Debian's fonts-dejavu-core,
#: fonts-lohit-deva, fonts-wqy-microhei).
_FONTS = (
    ("Sans", Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), 0),
    ("Devanagari", Path("/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf"), 0),
    ("Chinese", Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
)


#: Scripts whose letters join or reorder (Arabic, Devanagari): unreadable without text shaping.
_NEEDS_SHAPING = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u0900-\u097f]")


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Language:
    """The words of an export: ``translate`` puts an English message into the teacher's language
    (a gettext catalog's ``gettext``), ``ngettext`` chooses the singular or a plural by its rules,
    ``locale`` names it for dates ("dic" for December)."""

    translate: Callable[[str], str] = field(default=_english)
    ngettext: Callable[[str, str, int], str] = field(default=_english_plural)
    locale: str = "en"

    def say(self, text: str) -> str:
        """``text`` in this language: a :class:`Msg` by its template and parameters, a message as is."""
        if isinstance(text, Msg):
            try:
                return self.translate(text.template).format(**text.params)
            except (KeyError, IndexError, ValueError):
                return str(text)
        return self.translate(text)

    def fill(self, template: str, **params: object) -> str:
        """``template`` translated, with its placeholders filled (the English one if a translation is broken)."""
        try:
            return self.translate(template).format(**params)
        except (KeyError, IndexError, ValueError):
            return template.format(**params)


ENGLISH = Language()


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


def manifest_csv(found: list[Row], tz: ZoneInfo = UTC, words: Language = ENGLISH) -> bytes:
    """The manifest as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read accents),
    its header row in ``words``' language."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([words.say(name) for name in MANIFEST_FIELDS])
    for row in found:
        entry = row.entry
        writer.writerow([
            words.say(row.student), row.handin.title, row.handin.sentence,
            entry.prompt_typed if entry else words.say(MISSING), entry.engine if entry else "",
            entry.model if entry else "", "" if entry is None or entry.seed is None else entry.seed,
            local_time(row.handin.created, tz, year=True, locale=words.locale), row.handin.comment,
            row.file if entry else "",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8-sig")


def zip_handins(store: Store, assignment_id: int, tz: ZoneInfo = UTC, words: Language = ENGLISH) -> bytes:
    """Every handed-in PNG (settings inside) and ``manifest.csv``, in one ZIP."""
    found = rows(store, assignment_id)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for row in found:
            if row.entry is not None:
                archive.writestr(row.file, store.pictures.read_png(row.handin.owner, row.handin.image_id, teacher=True))
        archive.writestr("manifest.csv", manifest_csv(found, tz, words), compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def manifest(store: Store, assignment_id: int, tz: ZoneInfo = UTC, words: Language = ENGLISH) -> bytes:
    """The CSV manifest alone."""
    return manifest_csv(rows(store, assignment_id), tz, words)


@cache
def _letters(path: Path, number: int) -> frozenset[int]:
    """The characters a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=number, lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def _side(line: str) -> str:
    """Where a heading line starts: on the right when its first letter is written right to left
    (Arabic, Hebrew), as the Unicode bidirectional algorithm decides a paragraph's direction."""
    for char in line:
        kind = unicodedata.bidirectional(char)
        if kind in ("L", "R", "AL"):
            return "L" if kind == "L" else "R"
    return "L"


def _shaping() -> bool:
    try:
        import uharfbuzz  # noqa: F401 - fpdf2 shapes text with it when it is installed
    except ImportError:
        return False
    return True


def contact_sheet(store: Store, assignment: Assignment, tz: ZoneInfo = UTC, words: Language = ENGLISH) -> bytes:
    """A printable A4 PDF: the assignment's title, then each hand-in's picture, title and student."""
    from fpdf import FPDF

    found = rows(store, assignment.id)
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    title = words.say(assignment.title)  # the seeded assignment in the teacher's language; others as typed
    pdf.set_title(words.fill(N_("{title}: hand-ins"), title=title))
    pdf.set_auto_page_break(auto=False)
    fonts = [(name, path, number) for name, path, number in _FONTS if path.is_file()]
    if fonts:
        for name, path, number in fonts:
            pdf.add_font(name, fname=str(path), collection_font_number=number)
        family = fonts[0][0]
        if len(fonts) > 1:
            pdf.set_fallback_fonts([name for name, _, _ in fonts[1:]])
        shaped = _shaping()
        if shaped:
            pdf.set_text_shaping(True)
        known = frozenset().union(*(_letters(path, number) for _, path, number in fonts))
    else:  # the PDF core fonts know Latin-1 only
        family, shaped = "Helvetica", False
        known = frozenset(range(32, 256))

    def text(value: str) -> str:
        """``value`` with the letters no font here can draw replaced by "?"."""
        return "".join(c if ord(c) in known or c.isspace() else "?" for c in value)

    def label(said: str, english: str) -> str:
        """A message in the teacher's language, or in English when no font here has its letters (or
        when its script needs shaping and HarfBuzz is missing: Arabic would come out in loose letters)."""
        drawable = all(ord(c) in known or c.isspace() for c in said)
        return said if drawable and (shaped or not _NEEDS_SHAPING.search(said)) else english

    columns, cell_w, picture_h, cell_h, left, top = 3, 60.0, 58.0, 76.0, 15.0, 30.0
    per_page = columns * 3

    def heading() -> None:
        pdf.add_page()
        pdf.set_font(family, size=16)
        pdf.set_xy(left, 12)
        heading_text = text(label(title, assignment.title))
        pdf.cell(180, 8, heading_text, new_x="LMARGIN", new_y="NEXT", align=_side(heading_text))
        pdf.set_font(family, size=9)
        pdf.set_x(left)
        n = len(found)
        said = label(words.ngettext("{n} hand-in", "{n} hand-ins", n).format(n=n),
                     _english_plural("{n} hand-in", "{n} hand-ins", n).format(n=n))  # fmt: skip
        pdf.cell(180, 5, said, align=_side(said))

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
            pdf.cell(cell_w - 4, 5, label(words.say(MISSING), MISSING), align="C")
        pdf.set_xy(x + 1, y + picture_h + 1)
        pdf.set_font(family, size=9)
        pdf.cell(cell_w - 4, 5, text(row.handin.title[:60]), align="C")
        pdf.set_xy(x + 1, y + picture_h + 6)
        pdf.set_font(family, size=8)
        made = local_time(row.handin.created, tz, locale=words.locale)
        pdf.cell(cell_w - 4, 5, text(f"{words.say(row.student)[:40]} · {made}"), align="C")
    return bytes(pdf.output())
