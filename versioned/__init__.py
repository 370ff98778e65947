"""Versioned cache keys: one token per thing that can change, renewed when a write commits, read many at a time.

Every cached view of the platform (the cohort overview, the dashboards, the
transcripts, the regional indicators, the public pages) keeps its value under
a key made of the tokens of what it shows. A write renews the tokens it
touches, so the next reader builds a new key and the old entry is never read
again; nothing is deleted, entries simply expire.

A token is renewed twice: at once, and again when the transaction commits.
The second time matters: a reader between the write and the commit may have
cached the old figures under the token the first renewal made.

A value read on every visit (a person's dashboard) is kept in a slot of its own with the stamp of
its tokens (`kept`, `keep`): the slot and the tokens are read in one round trip.

Which writes renew which tokens is declared, model by model, in one module of
each app (`<app>/renewals.py`, connected in its `AppConfig.ready()`) with
`renews()` and `renews_m2m()`; `wired_models()` lists them, so that a test can
hold every model a cached view reads against the declarations. Bulk writes
(`QuerySet.update`, `bulk_create`) send no signals: the services that make them
call `renew()` themselves.

This package imports no app and no settings; every app may import it.
"""

import hashlib
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

PREFIX = "version:"


def _fresh() -> str:
    return uuid.uuid4().hex


def renew(*names: str | None) -> None:
    """Give these tokens new values now and again when the transaction commits (None is skipped)."""
    keys = [PREFIX + name for name in names if name]
    if not keys:
        return

    def bump():
        cache.set_many({key: _fresh() for key in keys}, None)

    bump()
    transaction.on_commit(bump)


def tokens(names: Iterable[str]) -> list[str]:
    """The tokens of these names, in one round trip when they all exist; missing ones are made on first use."""
    keys = [PREFIX + name for name in names]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh(), None)
        found.update(cache.get_many(missing))
    # A cache that does not answer: a token of its own, so that nothing kept earlier is reused.
    return [found.get(key) or _fresh() for key in keys]


def token(name: str) -> str:
    return tokens([name])[0]


def _stamp(names: list[str], values: list[str]) -> str:
    joined = ":".join(f"{name}={value}" for name, value in zip(names, values, strict=True))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def key(prefix: str, names: Iterable[str], *parts) -> str:
    """A cache key for what these tokens describe, with the other parts (language, day, ...) it varies on."""
    names = list(names)
    return ":".join([prefix, _stamp(names, tokens(names)), *(str(part) for part in parts)])


def kept(slot: str, names: Iterable[str]) -> tuple[object | None, str]:
    """What `keep` put in `slot`, if these tokens are still those it was kept under, and the tokens' stamp.

    The slot and the tokens are read in one round trip: a page served from the cache on every visit
    (a dashboard) pays one read, where `key` then `cache.get` pay two. On a miss (None), the stamp is
    the one to `keep` the value made afresh under. A slot holds one value at a time, so what it held
    under older tokens is overwritten rather than left to expire.
    """
    names = list(names)
    keys = [PREFIX + name for name in names]
    found = cache.get_many([slot, *keys])
    values = [found[key] for key in keys] if all(key in found for key in keys) else tokens(names)
    stamp = _stamp(names, values)
    entry = found.get(slot)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == stamp:
        return entry[1], stamp
    return None, stamp


def keep(slot: str, stamp: str, value, timeout: int) -> None:
    """Keep `value` in `slot` under the stamp `kept` gave; readers with other tokens will not take it."""
    cache.set(slot, (stamp, value), timeout)


# --- declarations ---------------------------------------------------------------------------------

_WIRED: dict[type, list[str]] = {}


def wired_models() -> dict[type, list[str]]:
    """Every model whose writes renew a token, with the apps that declared it (for the wiring test)."""
    return {model: list(owners) for model, owners in _WIRED.items()}


def renews(
    model,
    names: Callable[[object], Iterable[str | None]],
    *,
    owner: str,
    fields: Iterable[str] | None = None,
    ignored: Iterable[str] = (),
    on_save: bool = True,
    on_delete: bool = True,
) -> None:
    """Saving (and deleting) an instance of `model` renews the tokens `names(instance)` gives.

    `fields`: a save that names its `update_fields` renews only when one of these is among them;
    `ignored`: a save whose `update_fields` are all among these (the `last_login` of a sign-in)
    renews nothing. `owner` is the declaring app's label, for the wiring test's messages.
    """
    fields = frozenset(fields) if fields is not None else None
    ignored = frozenset(ignored)

    def saved(sender, instance, update_fields=None, **kwargs):
        if update_fields is not None:
            changed = set(update_fields)
            if fields is not None and not changed & fields:
                return
            if ignored and changed <= ignored:
                return
        renew(*names(instance))

    def deleted(sender, instance, **kwargs):
        renew(*names(instance))

    uid = f"versioned-{owner}-{model._meta.label}"
    if on_save:
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}-saved")
    if on_delete:
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-deleted")
    _WIRED.setdefault(model, []).append(owner)


def renews_m2m(through, names: Callable[..., Iterable[str | None]], *, owner: str) -> None:
    """Adding, removing or clearing links of a many-to-many renews `names(instance, action, pk_set, reverse)`.

    "pre_clear" is passed as well as the "post_" actions: only before a clear can the links still be read.
    """

    def changed(sender, instance, action, pk_set=None, reverse=False, **kwargs):
        if action.startswith("post_") or action == "pre_clear":
            renew(*names(instance, action, pk_set, reverse))

    m2m_changed.connect(changed, sender=through, weak=False, dispatch_uid=f"versioned-{owner}-{through._meta.label}")
    _WIRED.setdefault(through, []).append(owner)


def renews_on(signal, names: Callable[..., Iterable[str | None]], *, owner: str, models: Iterable) -> None:
    """Another signal (Wagtail's `page_published`, ...) renews `names(**kwargs)`; `models` (and their subclasses)
    count as wired: it is how their changes reach the readers."""

    def received(sender, **kwargs):
        renew(*names(sender=sender, **kwargs))

    signal.connect(received, weak=False, dispatch_uid=f"versioned-{owner}-{id(signal)}")
    for model in models:
        _WIRED.setdefault(model, []).append(owner)
