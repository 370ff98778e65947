"""Translation chores without GNU gettext.

python scripts/i18n.py fill-en   # English msgstr = msgid, so the catalogue is complete
python scripts/i18n.py missing   # list zh-hans entries still untranslated or fuzzy
python scripts/i18n.py compile   # write the .mo files (what compilemessages does)
python scripts/i18n.py apply FILE.json  # merge {"msgid": "译文"} into the zh-hans catalogue
python scripts/i18n.py apply FILE.json --domain djangojs  # the same for the JavaScript catalogue

apply adds the msgids the catalogues lack (zh-hans with the translation, en
with the msgid), so strings of Django's libraries that the project corrects
(config/catalogue_overrides.py) go in the same way. A plural or a string with
a context is given as an object:
{"There is one matching page": {"msgid_plural": "There are %(counter)s matching pages",
 "msgstr": "有 %(counter)s 个匹配的页面"}}, {"Pages": {"msgctxt": "pagination", "msgstr": "分页"}}.
"""

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ZH = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
EN = ROOT / "locale/en/LC_MESSAGES/django.po"
HEADER = {"Content-Type": "text/plain; charset=UTF-8", "Content-Transfer-Encoding": "8bit"}


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
    gaps = []
    for path in sorted(ZH.parent.glob("*.po")):
        catalogue = polib.pofile(str(path))
        gaps += catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    for entry in gaps:
        print(json.dumps(entry.msgid, ensure_ascii=False))
    return len(gaps)


def _catalogue(path: Path, language: str, plural_forms: str) -> polib.POFile:
    catalogue = polib.pofile(str(path)) if path.exists() else polib.POFile()
    catalogue.metadata.update(HEADER)
    catalogue.metadata["Plural-Forms"] = plural_forms
    catalogue.metadata["Language"] = language
    return catalogue


def _find(catalogue: polib.POFile, msgid: str, context: str | None) -> polib.POEntry | None:
    return next((e for e in catalogue if e.msgid == msgid and e.msgctxt == context and not e.obsolete), None)


def apply(path: str, domain: str = "django") -> None:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    zh_path, en_path = ZH.with_name(f"{domain}.po"), EN.with_name(f"{domain}.po")
    catalogue = _catalogue(zh_path, "zh_Hans", "nplurals=1; plural=0;")
    english = _catalogue(en_path, "en", "nplurals=2; plural=(n != 1);")
    for msgid, value in translations.items():
        spec = value if isinstance(value, dict) else {"msgstr": value}
        context, plural = spec.get("msgctxt"), spec.get("msgid_plural", "")
        flags = ["python-format"] if "%(" in msgid or "%s" in msgid else []
        entry = _find(catalogue, msgid, context)
        if entry is None:
            entry = polib.POEntry(msgid=msgid, msgctxt=context, msgid_plural=plural, flags=list(flags))
            catalogue.append(entry)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: spec["msgstr"]}
        else:
            entry.msgstr = spec["msgstr"]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        if _find(english, msgid, context) is None:
            english.append(
                polib.POEntry(
                    msgid=msgid,
                    msgctxt=context,
                    msgid_plural=plural,
                    flags=list(flags),
                    msgstr="" if plural else msgid,
                    msgstr_plural={0: msgid, 1: plural} if plural else {},
                )
            )
    catalogue.save(str(zh_path))
    english.save(str(en_path))


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
    for po_path in sorted([*ZH.parent.glob("*.po"), *EN.parent.glob("*.po")]):
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
        apply(sys.argv[2], domain=sys.argv[4] if sys.argv[3:4] == ["--domain"] else "django")
    elif command == "merge":
        merge(sys.argv[2])
    else:
        print(__doc__)
        sys.exit(2)
