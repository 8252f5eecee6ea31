"""The catalogs: every message of the interface translated in every language, nothing lost on the way.

``scripts/i18n update`` keeps the ``.po`` files in step with the code; these tests fail when a
message was added without its translations, left fuzzy, or translated with a placeholder missing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from lib.errors import BadInput, Blocked
from lib.messages import Msg
from lib.ui import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.SOURCE]
KEYWORDS = [
    "StudioError",
    "NotConfigured",
    "AuthFailed",
    "RateLimited",
    "Blocked",
    "BadInput",
    "EngineUnavailable",
    "StoreUnavailable",
    "Msg",
]


def _catalog(lang: str) -> Catalog:
    with (i18n.LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every message the code marks today, extracted the way ``scripts/i18n extract`` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = [arg for word in KEYWORDS for arg in ("-k", word)]
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", *keywords, "-o", str(out), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with out.open("rb") as f:
        return {str(m.id) for m in read_po(f) if m.id}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(lang: str, extracted: set[str]) -> None:
    catalog = _catalog(lang)
    known = {str(m.id): m for m in catalog if m.id}
    missing = sorted(extracted - set(known))
    assert not missing, f"{lang}: run scripts/i18n update and translate: {missing[:5]}"
    empty = sorted(msgid for msgid in extracted if not all(_forms(known[msgid].string)))
    fuzzy = sorted(msgid for msgid in extracted if known[msgid].fuzzy)
    assert not empty, f"{lang}: {len(empty)} messages without a translation, e.g. {empty[:3]}"
    assert not fuzzy, f"{lang}: fuzzy entries {fuzzy[:3]}"


def _forms(text: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A message's text as a tuple: one form, or each plural form (``ngettext``)."""
    return (text,) if isinstance(text, str) else tuple(text)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder_and_bold_marker(lang: str) -> None:
    catalog = _catalog(lang)
    for message in catalog:
        if not message.id:
            continue
        msgids, msgstrs = _forms(message.id), _forms(message.string)
        if len(msgids) > 1:  # a plural: every form the language has
            assert len(msgstrs) == catalog.num_plurals, (lang, msgids, msgstrs)
        for msgstr in msgstrs:
            msgid = msgids[-1] if len(msgids) > 1 else msgids[0]
            assert i18n.placeholders(msgid) == i18n.placeholders(msgstr), (lang, msgid, msgstr)
            assert msgid.count("**") == msgstr.count("**"), (lang, msgid, msgstr)
            assert msgstr.format(**{name: "x" for name in i18n.placeholders(msgid)})  # no stray brace


def test_plurals_follow_each_languages_rules() -> None:
    said = {lang: i18n.catalog(lang).ngettext("{n} picture", "{n} pictures", 2).format(n=2) for lang in TRANSLATED}
    assert said["es"] == "2 imágenes" and said["de"] == "2 Bilder" and said["ar"] == "2 صورتان"
    assert i18n.catalog("ar").ngettext("{n} picture", "{n} pictures", 5).format(n=5) == "5 صور"
    assert i18n.catalog("fr").ngettext("{n} picture", "{n} pictures", 0).format(n=0) == "0 image"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_are_not_left_in_english(lang: str) -> None:
    # Names and codes may stay as they are; a sentence never does.
    same = [
        str(m.id) for m in _catalog(lang) if m.id and _forms(m.string) == _forms(m.id) and len(str(m.id).split()) > 2
    ]
    assert not same, (lang, same)


def test_a_catalog_compiles_without_a_build_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Streamlit Community Cloud runs no set-up: the .po is compiled on first use (here in a copy).
    copy = tmp_path / "locales" / "fr" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    (copy / "messages.po").write_bytes((i18n.LOCALES / "fr" / "LC_MESSAGES" / "messages.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALES", tmp_path / "locales")
    i18n.catalog.cache_clear()
    try:
        assert i18n.catalog("fr").gettext("Create") == "Créer"
        assert (copy / "messages.mo").exists()  # kept for the next start
    finally:
        i18n.catalog.cache_clear()


def test_outside_a_session_everything_is_english() -> None:
    assert i18n.current() == "en"
    assert i18n._("Create") == "Create"
    error = BadInput("Compare {least} to {most} columns (you asked for {n}).", params={"least": 2, "most": 4, "n": 9})
    assert i18n.error_text(error) == str(error) == "Compare 2 to 4 columns (you asked for 9)."


def test_an_error_keeps_its_english_words_template_and_parameters() -> None:
    refusal = Blocked(Msg("Your teacher has asked for no pictures about \"{entry}\" in this class.", entry="x"),
                      stage="prompt screen")  # fmt: skip
    assert str(refusal) == 'Your teacher has asked for no pictures about "x" in this class.'
    assert refusal.template.endswith('"{entry}" in this class.') and refusal.params == {"entry": "x"}


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("es-MX", "es"), ("pt-PT", "pt_BR"), ("pt_BR", "pt_BR"), ("zh-CN", "zh_Hans"), ("zh-TW", "zh_Hans"),
     ("ar-EG", "ar"), ("hi-IN", "hi"), ("de", "de"), ("fr-CA", "fr"), ("en-GB", "en"), ("ja-JP", None), ("", None)],
)  # fmt: skip
def test_browser_tags_find_our_language(tag: str, lang: str | None) -> None:
    assert i18n.match(tag) == lang
