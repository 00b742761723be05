from django.urls import path

from . import export_views, views

app_name = "reflections"

urlpatterns = [
    path("logs/<int:pk>/reply/", views.reply_create, name="reply_create"),
    path("logs/<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("logs/<int:pk>/seen-by/", views.log_seen_by, name="log_seen_by"),
    path("seen-by-others/", views.seen_by_others, name="seen_by_others"),
    path("questions/", views.questions_waiting, name="questions_waiting"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("questions/<int:pk>/answer/edit/", views.answer_edit, name="answer_edit"),
    path("questions/<int:pk>/talk-in-supervision/", views.question_defer, name="question_defer"),
    path("journal/", views.journal_list, name="journal_list"),
    path("journal/new/", views.journal_create, name="journal_create"),
    path("journal/<int:pk>/", views.journal_detail, name="journal_detail"),
    path("journal/<int:pk>/edit/", views.journal_edit, name="journal_edit"),
    path("journal/<int:pk>/share/", views.journal_share, name="journal_share"),
    path("my-records/", export_views.export_page, name="export"),
    path("my-records/download.json", export_views.export_json, name="export_json"),
    path("my-records/print/", export_views.export_print, name="export_print"),
]
