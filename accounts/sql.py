"""SQL written once for PostgreSQL (production, CI) and for SQLite (`make run` and `make test` on a machine
without a database server).

The few reads written as SQL (`RawSQL`) to spare the ORM composing them (the dashboards composed afresh)
and the list subqueries read with a row (a person's roles with the cohort they ask for) use these pieces, so
the same selector runs on both: PostgreSQL gets the arrays and `jsonb` objects it answers fastest, SQLite the
JSON arrays and objects of its JSON1 functions, read back as the same Python lists and dicts. PostgreSQL's
SQL is exactly what it was before SQLite could run it.
"""

import datetime
import json

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import F, JSONField, Subquery
from django.utils import timezone


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def list_of(select: str) -> str:
    """The values of `select`'s one column, named `v`, in its order: an array, or a JSON array on SQLite."""
    if on_postgres():
        return f"ARRAY({select})"
    return f"json((SELECT json_group_array(v) FROM ({select})))"  # noqa: S608 -- SQL of our own selectors


def rows_of(select: str) -> str:
    """The objects `select` makes (one column, named `v`, of `object_of`), in its order, as `list_of` does."""
    if on_postgres():
        return f"ARRAY({select})"
    return f"json((SELECT json_group_array(json(v)) FROM ({select})))"  # noqa: S608 -- SQL of our own selectors


def object_of(*pairs: str) -> str:
    """A JSON object of the SQL expressions `pairs` names: `object_of("'pk'", "c.id", ...)`."""
    function = "jsonb_build_object" if on_postgres() else "json_object"
    return f"{function}({', '.join(pairs)})"


def is_one_of(column: str, array_type: str = "") -> str:
    """`column` is one of the values of one parameter (give it as `values_param(...)`); `array_type` names
    the PostgreSQL array's type where an empty list must have one (`bigint[]`)."""
    if on_postgres():
        return f"{column} = ANY(%s::{array_type})" if array_type else f"{column} = ANY(%s)"
    return f"{column} IN (SELECT value FROM json_each(%s))"  # noqa: S608 -- a column name of ours


def values_param(values) -> list | str:
    """The parameter `is_one_of` compares with: a list (an array), or its JSON on SQLite."""
    values = [value.pk if hasattr(value, "pk") else value for value in values]
    return values if on_postgres() else json.dumps(values)


def list_field(base_field):
    """The output field of `list_of`."""
    return ArrayField(base_field) if on_postgres() else JSONField()


def rows_field():
    """The output field of `rows_of`: a list of dicts on both."""
    return ArrayField(JSONField()) if on_postgres() else JSONField()


def moment(value: str | None) -> datetime.datetime | None:
    """A time read inside a JSON object: ISO 8601 with its offset from PostgreSQL, naive UTC from SQLite."""
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value)
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=datetime.UTC)


class ListOf(Subquery):
    """The values of one column of `queryset` for each row, in order: `ArraySubquery` on PostgreSQL, a JSON
    array on SQLite (whose subquery names the column `v` to aggregate it)."""

    template = "ARRAY(%(subquery)s)"

    def __init__(self, queryset, column: str, base_field):
        super().__init__(queryset.values(v=F(column)), output_field=list_field(base_field))

    def as_sqlite(self, compiler, connection, **extra_context):
        template = "json((SELECT json_group_array(v) FROM (%(subquery)s)))"
        return self.as_sql(compiler, connection, template=template, **extra_context)


def byte_order_collation() -> str:
    """The collation that compares text by its bytes (stable, locale-free orders): `C`, `BINARY` on SQLite."""
    return "C" if on_postgres() else "BINARY"
