from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("logs/", views.log_list, name="log_list"),
    path("logs/new/", views.log_create, name="log_create"),
    path("logs/quick/", views.log_quick, name="log_quick"),
    path("logs/trash/", views.trash, name="trash"),
    path("logs/<int:pk>/", views.log_detail, name="log_detail"),
    path("logs/<int:pk>/edit/", views.log_edit, name="log_edit"),
    path("logs/<int:pk>/submit/", views.log_submit, name="log_submit"),
    path("logs/<int:pk>/delete/", views.log_trash, name="log_trash"),
    path("logs/<int:pk>/restore/", views.log_restore, name="log_restore"),
    path("logs/<int:pk>/addenda/", views.addendum_create, name="addendum_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("my-words/", views.allowed_words, name="allowed_words"),
    path("my-words/<int:pk>/remove/", views.allowed_word_remove, name="allowed_word_remove"),
]
