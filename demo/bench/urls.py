"""The platform's URLs plus the minimal view every figure is compared with."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from config.urls import urlpatterns as platform


@require_GET
def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("_bench/ok", ok, name="bench-ok"), *platform]
