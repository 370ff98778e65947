"""URL declarations of the apps beside the core ones, one module per app.

`tests/quality/url_access.py` imports every module here and merges its
`PUBLIC`, `PUBLIC_WITH_TOKEN` and `MATRIX` (each optional) into its own, and
calls its `prepare(world)` (optional) from `prepare_world`, so that a new app
declares its URLs in its own file and the role matrix, the leak scan, the
CSRF check and the form attacks cover them without touching the core list.
Build paths with `Access`, `only`, `everyone_signed_in` and the role sets
from `url_access`.
"""
