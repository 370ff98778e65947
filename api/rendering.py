"""The API's JSON, and pages rendered once to be answered many times from the cache.

A list page read on every poll of a partner's system (a cohort's hours, its pairings) is kept as the
bytes of its answer: serving it is one cache read, with no schema validation or JSON encoding per row.
The bytes are those django-ninja would have made of the same page (its JSON encoder, our renderer's
settings), so a kept page and a fresh one cannot differ.
"""

import hashlib
import json
from dataclasses import dataclass

from django.http import HttpResponse
from ninja.renderers import JSONRenderer


class Utf8JSONRenderer(JSONRenderer):
    # Chinese names as text, not \\u escapes: half the size, and readable in a partner's logs.
    json_dumps_params = {"ensure_ascii": False}


RENDERER = Utf8JSONRenderer()
# What django-ninja answers JSON with (`NinjaAPI.get_content_type`).
MEDIA_TYPE = f"{RENDERER.media_type}; charset={RENDERER.charset}"


@dataclass(frozen=True)
class RenderedPage:
    """A page's answer: its rows (counted for the audit entry), body and ETag."""

    rows: int
    body: bytes
    etag: str


def render_page(schema, page: dict) -> RenderedPage:
    """`page` (`results`, `next_cursor`) validated against its schema and encoded as the API encodes answers."""
    data = schema.model_validate(page).model_dump()
    body = json.dumps(data, cls=RENDERER.encoder_class, **RENDERER.json_dumps_params).encode(RENDERER.charset)
    # Django's conditional GET would hash the body on every answer; the ETag it would make, made once.
    etag = f'"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
    return RenderedPage(rows=len(page["results"]), body=body, etag=etag)


def rendered_response(page: RenderedPage) -> HttpResponse:
    response = HttpResponse(page.body, content_type=MEDIA_TYPE)
    response["ETag"] = page.etag
    return response
