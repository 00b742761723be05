"""Pages of the people layer that are not about logging in: notifications and the ping."""

from django.urls import path

from . import views

urlpatterns = [
    # The benchmark's ceiling: the cheapest signed-in page (scripts/bench.py).
    path("ping/", views.ping, name="ping"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
