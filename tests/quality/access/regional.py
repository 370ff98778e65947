"""The regional office's home: only a region's office (the regional admin of region B) and the joint office (staff)."""

from tests.quality.url_access import Access, only

OFFICE = {"regional_admin": 200, "staff": 200}

MATRIX = {
    "regional:home": Access(path=lambda w: "/region/", expect=only(OFFICE, otherwise=404)),
    "regional:queue": Access(
        path=lambda w: "/region/queue/", expect=only(OFFICE, otherwise=404), secret=lambda w: "学员甲"
    ),
    "regional:rules": Access(path=lambda w: "/region/rules/", expect=only(OFFICE, otherwise=404)),
    "regional:indicators-export": Access(path=lambda w: "/region/indicators.csv", expect=only(OFFICE, otherwise=404)),
}
