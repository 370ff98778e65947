"""Translation chores without GNU gettext.

python scripts/i18n.py fill-en   # English msgstr = msgid, so the catalogue is complete
python scripts/i18n.py missing   # list zh-hans entries still untranslated or fuzzy
python scripts/i18n.py compile   # write the .mo files (what compilemessages does)
python scripts/i18n.py apply FILE.json  # merge {"msgid": "译文"} into the zh-hans catalogue
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ZH = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
EN = ROOT / "locale/en/LC_MESSAGES/django.po"


def fill_english() -> None:
    catalogue = polib.pofile(str(EN))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    catalogue.metadata["Language"] = "en"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()


def missing() -> int:
    catalogue = polib.pofile(str(ZH))
    gaps = catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    for entry in gaps:
        print(json.dumps(entry.msgid, ensure_ascii=False))
    return len(gaps)


def apply(path: str) -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    catalogue = polib.pofile(str(ZH))
    for entry in catalogue:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Language"] = "zh_Hans"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save()


def merge(path: str) -> None:
    """Copy translations from another catalogue for msgids this one lacks or has empty."""
    other = {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(path) if entry.translated()}
    catalogue = polib.pofile(str(ZH))
    known = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    for entry in catalogue:
        source = other.get((entry.msgctxt, entry.msgid))
        if source is not None and not entry.translated():
            entry.msgstr, entry.msgstr_plural = source.msgstr, source.msgstr_plural
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    for key, source in other.items():
        if key not in known:
            catalogue.append(source)
    catalogue.save()


def compile_all() -> None:
    for po_path in (ZH, EN):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "fill-en":
        fill_english()
    elif command == "missing":
        sys.exit(1 if missing() else 0)
    elif command == "compile":
        compile_all()
    elif command == "apply":
        apply(sys.argv[2])
    elif command == "merge":
        merge(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
