from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("logs/", views.log_list, name="log_list"),
    path("review/", views.review_queue, name="review_queue"),
]
