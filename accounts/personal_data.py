"""Everything the platform holds about one person, for the person's own archive and for erasure.

The personal-data rights of PIPL (like GDPR's): a person may take away a copy
of their data and ask for it to be erased. Accounts cannot know every app's
tables, so each app registers in its `AppConfig.ready()`:

- `register_section(name, collector)`: rows about the person that no foreign
  key to the user finds by itself (session logs of their pairings, audit
  entries about their memberships); every row with a foreign key to the user
  is found by `linked_rows` without registration;
- `register_files(collector)`: (archive path, open file) pairs (submissions);
- `register_eraser(eraser)`: anonymises what that app keeps about the person
  while the ledger, totals and other people's records stay as they are.
"""

import datetime
import decimal
import json
import uuid
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.db import models

Rows = list[dict]
SECTIONS: dict[str, Callable[[object], Rows]] = {}
FILE_COLLECTORS: list[Callable[[object], Iterable[tuple[str, object]]]] = []
ERASERS: list[Callable[[object], None]] = []

# Secrets never leave in an archive, not even to their owner (hashes, keys, one-time codes).
SECRET_FIELD_WORDS = ("password", "secret", "token_hash", "key", "hash", "code_hash")
# Tables that hold only credentials or machinery, not facts about the person.
SKIPPED_MODELS = {
    "sessions.session",
    "mfa.authenticator",
    "api.apitoken",
    "api.idempotentrequest",
    "accounts.dataexport",
}


def register_section(name: str, collector: Callable[[object], Rows]) -> None:
    SECTIONS[name] = collector


def register_files(collector: Callable[[object], Iterable[tuple[str, object]]]) -> None:
    FILE_COLLECTORS.append(collector)


def register_eraser(eraser: Callable[[object], None]) -> None:
    if eraser not in ERASERS:
        ERASERS.append(eraser)


def plain(value):
    """A value JSON and CSV can hold."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _is_secret(field_name: str) -> bool:
    return any(word in field_name for word in SECRET_FIELD_WORDS)


def rows_of(queryset) -> Rows:
    fields = [field for field in queryset.model._meta.concrete_fields if not _is_secret(field.name)]
    return [{field.attname: plain(getattr(obj, field.attname)) for field in fields} for obj in queryset]


def acts_of(queryset, field) -> Rows:
    moments = [
        each
        for each in queryset.model._meta.concrete_fields
        if isinstance(each, models.DateField | models.DateTimeField) and not _is_secret(each.name)
    ]
    return [
        {"id": plain(obj.pk), "as": field.name, **{each.attname: plain(getattr(obj, each.attname)) for each in moments}}
        for obj in queryset
    ]


def linked_rows(person) -> dict[str, Rows]:
    """Every row of every table with a foreign key to the person, by `app.model` (and field when several)."""
    sections: dict[str, Rows] = {}
    # include_hidden: many relations to the user are declared with related_name="+".
    for relation in get_user_model()._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete) or relation.many_to_many:
            continue
        model = relation.related_model
        label = model._meta.label_lower
        if label in SKIPPED_MODELS or model._meta.proxy:
            continue
        field = relation.field
        queryset = model._default_manager.filter(**{field.name: person}).order_by("pk")
        if field.remote_field.on_delete in (models.CASCADE, models.PROTECT):
            rows = rows_of(queryset)
        else:
            # The person acted on someone else's row (issued a certificate, credited hours, signed an
            # audit entry): that the person acted, and when, is theirs; the row's content is not.
            rows = acts_of(queryset, field)
        if rows:
            sections[f"{label}.{field.name}"] = rows
    return sections


def person_sections(person, progress: Callable[[int, int], None] | None = None) -> dict[str, Rows]:
    """The whole archive's tables: the account, every linked row, every registered section."""
    User = get_user_model()
    account = rows_of(User.objects.filter(pk=person.pk))
    for row in account:
        for name in ("is_superuser",):
            row.pop(name, None)
    sections = {"account": account}
    sections.update(linked_rows(person))
    names = sorted(SECTIONS)
    for done, name in enumerate(names, start=1):
        rows = SECTIONS[name](person)
        if rows:
            sections[name] = [{key: plain(value) for key, value in row.items()} for row in rows]
        if progress:
            progress(done, len(names))
    return sections


def person_files(person) -> list[tuple[str, object]]:
    files = []
    for collector in FILE_COLLECTORS:
        files.extend(collector(person))
    return files


def archive_json(rows: Rows) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2, default=str)


def archive_table(rows: Rows) -> list[list]:
    """Rows as a table for CSV: the union of keys as the header, in first-seen order."""
    header: list[str] = []
    for row in rows:
        header.extend(key for key in row if key not in header)
    return [header] + [[row.get(key, "") for key in header] for row in rows]
