import datetime
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


class FrozenClock:
    """notifications.clock.now() stands still at a chosen moment until moved."""

    def __init__(self, moment: datetime.datetime):
        self.moment = moment

    def __call__(self) -> datetime.datetime:
        return self.moment

    def set(self, year, month, day, hour=0, minute=0) -> datetime.datetime:
        self.moment = datetime.datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)
        return self.moment

    def advance(self, **delta) -> datetime.datetime:
        self.moment += datetime.timedelta(**delta)
        return self.moment


@pytest.fixture
def frozen_clock(monkeypatch, settings):
    """Shanghai time stands still (10:00 on a Tuesday until moved); default quiet hours 22:00-07:00 as in production."""
    settings.NOTIFICATIONS_DEFAULT_QUIET_HOURS = (datetime.time(22, 0), datetime.time(7, 0))
    clock = FrozenClock(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI))
    monkeypatch.setattr("notifications.clock.now", clock)
    return clock


@pytest.fixture
def kinds():
    """Two kinds as a domain app would register them: one a person may tune, one mandatory."""
    from notifications.kinds import _REGISTRY, NotificationKind, register

    added = [
        register(NotificationKind(key="test.pairing", label="Pairing news", subject="{title}")),
        register(NotificationKind(key="test.invitation", label="Invitation", subject="{title}", mandatory=True)),
    ]
    yield {kind.key: kind for kind in added}
    for kind in added:
        _REGISTRY.pop(kind.key, None)
