from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/dashboard/", views.group_dashboard, name="group_dashboard"),
    path("groups/<int:pk>/invitations/", views.member_invite, name="member_invite"),
    path(
        "invitations/<int:invitation_pk>/accept/",
        views.invitation_accept,
        name="invitation_accept",
    ),
    path(
        "invitations/<int:invitation_pk>/decline/",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("groups/<int:pk>/leave/", views.group_leave, name="group_leave"),
    path(
        "groups/<int:pk>/members/<int:user_pk>/remove/", views.member_remove, name="member_remove"
    ),
    path("groups/<int:pk>/show-name/", views.show_name, name="show_name"),
    path("groups/<int:pk>/meetings/", views.meeting_schedule, name="meeting_schedule"),
    path(
        "groups/<int:pk>/meetings/<int:meeting_pk>/absence/",
        views.meeting_absence,
        name="meeting_absence",
    ),
    path(
        "groups/<int:pk>/meetings/<int:meeting_pk>/",
        views.meeting_detail,
        name="meeting_detail",
    ),
    path(
        "groups/<int:pk>/meetings/<int:meeting_pk>/takeaway/",
        views.meeting_takeaway,
        name="meeting_takeaway",
    ),
    path("groups/<int:pk>/meetings.ics", views.meeting_calendar, name="meeting_calendar"),
    path("groups/calendar-feed/", views.calendar_feed_new, name="calendar_feed_new"),
    path("groups/calendar-feed/revoke/", views.calendar_feed_revoke, name="calendar_feed_revoke"),
    # No session: calendar apps fetch it; the secret token is the only key.
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("groups/<int:pk>/shared/<int:share_pk>/", views.shared_log, name="shared_log"),
    path(
        "groups/<int:pk>/shared/<int:share_pk>/comments/",
        views.shared_log_comment,
        name="shared_log_comment",
    ),
    path("logs/<int:log_pk>/share/", views.log_share, name="log_share"),
    path("shares/<int:share_pk>/withdraw/", views.share_withdraw, name="share_withdraw"),
]
