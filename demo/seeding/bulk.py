"""Rows for the scale seeding written in bulk: PostgreSQL's COPY from plain tuples.

`bulk_create` builds a model instance per row (with its init signals) and lets
Django's compiler prepare every value; at 100,000 people that was most of the
seeding's time. Here a row is a tuple in the order of the fields named, written
by psycopg's COPY; fields not named get their default (`auto_now_add` fields
the time of the call), as `bulk_create` would give them. No signal is sent, as
with `bulk_create`. `reserve_ids` takes primary keys from the table's sequence,
so that rows referring to rows not yet written can be made in the same pass.
"""

import enum
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone


def _value(field, value):
    if isinstance(value, enum.Enum):  # psycopg writes an enum's name; the column holds its value
        value = value.value
    if isinstance(field, models.JSONField):
        return field.get_db_prep_save(value, connection)
    return value


def copy_rows(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """Write `rows` (tuples of the values of `fields`, foreign keys as ids) into `model`'s table; the count written."""
    meta = model._meta
    named = [meta.get_field(name) for name in fields]
    now = timezone.now()
    defaults = []
    for field in meta.concrete_fields:
        if field in named or (field.primary_key and isinstance(field, models.AutoField)):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults.append((field, now))
        elif field.has_default() or field.null or field.empty_strings_allowed:
            defaults.append((field, field.get_default()))  # a blank text field's default is ""
        else:
            raise ValueError(f"{meta.label}.{field.name} needs a value: name it in the fields.")
    columns = [field.column for field in named] + [field.column for field, _ in defaults]
    tail = tuple(_value(field, value) for field, value in defaults)
    json_at = [index for index, field in enumerate(named) if isinstance(field, models.JSONField)]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor, cursor.copy(f"COPY {meta.db_table} ({quoted}) FROM STDIN") as copy:  # noqa: S608 -- names from the model
        for row in rows:
            row = [value.value if isinstance(value, enum.Enum) else value for value in row]
            for index in json_at:
                row[index] = _value(named[index], row[index])
            copy.write_row((*row, *tail))
            written += 1
    return written


def reserve_ids(model, count: int) -> list[int]:
    """`count` primary keys from the table's own sequence, for rows written later with explicit keys."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]
