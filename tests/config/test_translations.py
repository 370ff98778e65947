"""Both catalogues complete, and the compiled files match them."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = {
    "zh_Hans": ROOT / "locale/zh_Hans/LC_MESSAGES/django.po",
    "en": ROOT / "locale/en/LC_MESSAGES/django.po",
}


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    catalogue = polib.pofile(str(CATALOGUES[language]))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{language}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{language}: fuzzy {fuzzy[:10]}"
    assert len(catalogue) > 50


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_compiled_catalogue_is_current(language):
    source = polib.pofile(str(CATALOGUES[language]))
    compiled = polib.mofile(str(CATALOGUES[language].with_suffix(".mo")))
    expected = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in source.translated_entries()
    }
    actual = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in compiled if entry.msgid}
    assert actual == expected, "Run `make messages` and commit the .mo files."


def test_chinese_catalogue_translates_into_chinese():
    catalogue = polib.pofile(str(CATALOGUES["zh_Hans"]))
    assert catalogue.find("My dashboard").msgstr == "我的工作台"
