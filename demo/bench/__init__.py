"""What `manage.py bench` runs against: production settings, a minimal view, the endpoints to measure.

Nothing here is imported by the platform itself; `demo.bench.urls` (with its
`HttpResponse("ok")` view) is only ever the URLconf of `demo.bench.settings`.
"""
