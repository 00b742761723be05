from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("supervisees/<int:pk>/", views.supervisee_detail, name="supervisee_detail"),
    path("supervisees/<int:pk>/preparation/", views.preparation, name="preparation"),
    path("supervisees/<int:pk>/meetings/", views.meeting_record, name="meeting_record"),
]
