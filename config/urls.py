"""Root URLs: each app's own urls.py, lowest layer first."""

from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # The benchmark's empty layout (scripts/bench.py), beside the ceiling /ping/.
    path("ping/layout/", views.layout, name="layout"),
    # Log-in with lock-out, rate limits and the two-factor code step; then Django's own.
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("supervision.urls")),
    path("", include("cases.urls")),
    path("", include("reflections.urls")),
    path("", include("groups.urls")),
    path("", include("dashboards.urls")),
    path("", include("hours.urls")),
    path("admin/", admin.site.urls),
]
