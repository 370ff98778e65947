"""Numbers people (or tools) put in query strings and posted forms, read without ever answering 500."""

from django.core.exceptions import BadRequest

# The largest id either database holds (a signed 64-bit integer): larger numbers fail PostgreSQL's bind and
# SQLite's too, so they are refused here alike.
MAX_ID = 2**63 - 1


def id_or_400(value, *, required: bool = False) -> int | None:
    """A whole number from a filter or a posted form, None when absent; 400 for anything else.

    Only ASCII digits count: `"²".isdigit()` is true but `int("²")` fails, and a
    5,000-digit number exceeds Python's conversion limit.
    """
    if value is None or value == "":
        if required:
            raise BadRequest("a number is required")
        return None
    text = str(value)
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or int(text) > MAX_ID:
        raise BadRequest("not a whole number the database can hold")
    return int(text)


def ids_or_400(values) -> list[int]:
    """Several ids from a posted form (checkboxes): all numbers, or 400."""
    return [id_or_400(value, required=True) for value in values]
