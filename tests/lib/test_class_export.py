"""An assignment's export read back: the ZIP opens, its manifest matches the hand-ins, the PNGs
keep their settings, and the PDF contact sheet has one entry per hand-in (pypdf)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pypdf
import pytest

from lib import class_export, pnginfo
from lib.class_export import MANIFEST_FIELDS, Language, contact_sheet, manifest, slug, zip_handins
from lib.pictures import new_owner_id
from lib.store import Store
from tests.lib.store.workers import make_image


def class_with_hand_ins(tmp_path: Path) -> tuple[Store, int, dict[str, str]]:
    store = Store.embedded(tmp_path / "data")
    task = store.classwork.assignments()[0]
    store.classwork.update_assignment(task.id, title=task.title, instructions="", due=None, max_handins=2)
    people = {"Zoë Ærø": "Tower on the moon", "Alan": "Pyramid, in snow!"}
    owners = {}
    for i, (name, title) in enumerate(people.items()):
        owner = new_owner_id()
        store.roster.set_name(owner, name)
        image_id = store.pictures.save(make_image(f"prompt of {name}", seed=40 + i), owner=owner, page="create")
        store.classwork.hand_in(owner, task.id, image_id, title=title, sentence=f"{name} imagined it.")
        owners[name] = owner
    nameless = new_owner_id()
    kept = store.pictures.save(make_image("a nameless castle", seed=None), owner=nameless, page="create")
    handed = store.classwork.hand_in(nameless, task.id, kept, title="Castle", sentence="No name given.")
    store.classwork.comment(handed.id, 'Great "sky", well done', done=True)
    gone = store.pictures.save(make_image("soon deleted"), owner=owners["Alan"], page="create")
    store.classwork.hand_in(owners["Alan"], task.id, gone, title="Gone", sentence="Deleted later.")
    store.pictures.delete(owners["Alan"], gone)
    return store, task.id, owners


def test_zip_has_every_png_with_its_settings_and_a_manifest_that_matches(tmp_path: Path) -> None:
    store, task, owners = class_with_hand_ins(tmp_path)
    handins = {h.title: h for h in store.classwork.class_handins(task)}
    with zipfile.ZipFile(io.BytesIO(zip_handins(store, task))) as archive:
        names = archive.namelist()
        in_zip = archive.read("manifest.csv")
        rows = list(csv.DictReader(io.StringIO(in_zip.decode("utf-8-sig"))))
        pngs = {name: archive.read(name) for name in names if name.endswith(".png")}
    assert len(pngs) == 3 and "manifest.csv" in names
    assert f"zoe-r_tower-on-the-moon_{handins['Tower on the moon'].id}.png" in pngs
    assert f"alan_pyramid-in-snow_{handins['Pyramid, in snow!'].id}.png" in pngs
    assert [r["title"] for r in rows] == ["Tower on the moon", "Pyramid, in snow!", "Castle", "Gone"]
    first = rows[0]
    assert (first["student"], first["sentence"], first["prompt"], first["engine"], first["model"], first["seed"]) == (
        "Zoë Ærø", "Zoë Ærø imagined it.", "prompt of Zoë Ærø", "storybook", "storybook-1", "40",
    )  # fmt: skip
    assert rows[2]["student"].startswith("no name · ") and rows[2]["seed"] == ""
    assert rows[2]["comment"] == 'Great "sky", well done'
    assert rows[3]["prompt"] == "(the picture was deleted)" and rows[3]["file"] == ""
    for row in rows[:3]:
        record = pnginfo.read_settings(pngs[row["file"]])
        assert record is not None and record["prompt_typed"] == row["prompt"]
    assert manifest(store, task) == in_zip  # the CSV download is the ZIP's manifest


def test_the_contact_sheet_has_one_entry_per_hand_in(tmp_path: Path) -> None:
    store, task, _ = class_with_hand_ins(tmp_path)
    reader = pypdf.PdfReader(io.BytesIO(contact_sheet(store, store.classwork.assignment(task))))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "A monument in a surprising place" in text and "4 hand-ins" in text
    for title, student in (("Tower on the moon", "Zoë Ærø"), ("Pyramid, in snow!", "Alan"), ("Castle", "no name")):
        assert text.count(title) == 1 and student in text
    assert "(the picture was deleted)" in text
    pictures = [image for page in reader.pages for image in page.images]
    assert len(pictures) == 3


def test_many_hand_ins_go_on_to_more_pages(tmp_path: Path) -> None:
    store = Store.embedded(tmp_path / "data")
    task = store.classwork.create_assignment(title="Big class", max_handins=1)
    for i in range(11):
        owner = new_owner_id()
        store.roster.set_name(owner, f"Student {i:02d}")
        image_id = store.pictures.save(make_image(f"picture {i}"), owner=owner, page="create")
        store.classwork.hand_in(owner, task.id, image_id, title=f"Title {i:02d}", sentence="s")
    reader = pypdf.PdfReader(io.BytesIO(contact_sheet(store, task)))
    assert len(reader.pages) == 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(f"Title {i:02d}" in text and f"Student {i:02d}" in text for i in range(11))


def test_slugs_are_safe_file_names() -> None:
    assert slug("Zoë / ../../etc") == "zoe-etc" and slug("🙂") == "untitled" and len(slug("a" * 99)) == 40


def _in(lang: str) -> Language:
    from lib.ui import i18n

    said = i18n.catalog(lang)
    return Language(translate=said.gettext, ngettext=said.ngettext, locale=lang)


def test_the_exports_speak_the_teachers_language(tmp_path: Path) -> None:
    store, task, _ = class_with_hand_ins(tmp_path)
    spanish = _in("es")
    rows = list(csv.reader(io.StringIO(manifest(store, task, words=spanish).decode("utf-8-sig"))))
    assert rows[0] == ["alumno", "título", "frase", "indicación", "motor", "modelo", "semilla", "hora", "comentario",
                       "archivo"]  # fmt: skip
    assert rows[3][0].startswith("sin nombre · ") and rows[4][3] == "(la imagen fue borrada)"
    with zipfile.ZipFile(io.BytesIO(zip_handins(store, task, words=spanish))) as archive:
        assert archive.read("manifest.csv").decode("utf-8-sig").startswith("alumno,título,")
    # English stays the default, with the same columns in the same order.
    assert list(csv.reader(io.StringIO(manifest(store, task).decode("utf-8-sig"))))[0] == list(MANIFEST_FIELDS)

    reader = pypdf.PdfReader(io.BytesIO(contact_sheet(store, store.classwork.assignment(task), words=spanish)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Un monumento en un lugar sorprendente" in text and "4 entregas" in text
    assert "(la imagen fue borrada)" in text and "sin nombre" in text
    assert "A monument in a surprising place" not in text and "hand-ins" not in text
    assert reader.metadata is not None and reader.metadata.title == "Un monumento en un lugar sorprendente: entregas"


@pytest.mark.parametrize(
    ("lang", "said", "font"),
    [("hi", "एक अनोखी जगह पर एक स्मारक", "Lohit"), ("zh_Hans", "一个出现在意想不到地方的名胜", "WenQuanYi"),
     ("ar", "معلَم في مكان مدهش", "DejaVu")],
)  # fmt: skip
def test_the_contact_sheet_draws_hindi_chinese_and_arabic(tmp_path: Path, lang: str, said: str, font: str) -> None:
    store, task, _ = class_with_hand_ins(tmp_path)
    pdf = contact_sheet(store, store.classwork.assignment(task), words=_in(lang))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    if not all(path.is_file() for _, path, _ in class_export._FONTS):
        pytest.skip("the fonts of Hindi and Chinese are not installed here")
    assert any(font in name for name in fonts), fonts  # the letters drawn with a font that has them
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert said in text  # shaped (HarfBuzz), yet read back in the order it is written


def test_a_label_no_font_can_draw_is_written_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, task, _ = class_with_hand_ins(tmp_path)
    monkeypatch.setattr(class_export, "_FONTS", class_export._FONTS[:1])  # DejaVu only: no Devanagari
    text = "\n".join(
        page.extract_text()
        for page in pypdf.PdfReader(
            io.BytesIO(contact_sheet(store, store.classwork.assignment(task), words=_in("hi")))
        ).pages
    )
    assert "4 hand-ins" in text and "(the picture was deleted)" in text


def test_without_harfbuzz_arabic_labels_are_written_in_english(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Unshaped Arabic would be loose letters in the wrong order: the labels say it in English instead.
    store, task, _ = class_with_hand_ins(tmp_path)
    monkeypatch.setattr(class_export, "_shaping", lambda: False)
    pdf = contact_sheet(store, store.classwork.assignment(task), words=_in("ar"))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "4 hand-ins" in text and "(the picture was deleted)" in text and "A monument in a surprising place" in text
    spanish = contact_sheet(store, store.classwork.assignment(task), words=_in("es"))  # Latin letters need none
    assert "4 entregas" in "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(spanish)).pages)


def test_a_heading_written_right_to_left_starts_on_the_right() -> None:
    assert class_export._side("معلَم في مكان مدهش") == "R"
    assert class_export._side("4 تسليمات") == "R"  # the digits are neutral: the first letter decides
    assert class_export._side("Tower on the moon (برج)") == "L" and class_export._side("一只熊猫") == "L"
