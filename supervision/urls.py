from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Log-in with lock-out, rate limits and the two-factor code step; then Django's own.
    path("accounts/", include("supervision.account_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("cases.urls")),
    path("", include("reflections.urls")),
    path("", include("dashboards.urls")),
    # The benchmark's ceiling: the cheapest signed-in page (scripts/bench.py).
    path("ping/", views.ping, name="ping"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("admin/", admin.site.urls),
]
