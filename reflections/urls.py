from django.urls import path

from . import views

app_name = "reflections"

urlpatterns = [
    path("logs/<int:pk>/", views.log_detail, name="log_detail"),
    path("logs/<int:pk>/reply/", views.reply_create, name="reply_create"),
    path("logs/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("journal/", views.journal_list, name="journal_list"),
    path("journal/new/", views.journal_create, name="journal_create"),
    path("journal/<int:pk>/", views.journal_detail, name="journal_detail"),
    path("journal/<int:pk>/edit/", views.journal_edit, name="journal_edit"),
    path("journal/<int:pk>/share/", views.journal_share, name="journal_share"),
]
