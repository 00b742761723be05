"""Log-in, log-out, password reset (rate-limited), two-factor, the session keep-alive and
keeping a form's text at the idle limit.

Included under accounts/ before Django's auth URLs, so these take over the same names.
"""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password_reset/", views.password_reset, name="password_reset"),
    path("two-factor/", views.two_factor_overview, name="two_factor"),
    path("two-factor/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/e-mail-code/", views.two_factor_email_code, name="two_factor_email_code"),
    path(
        "two-factor/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/turn-off/", views.two_factor_disable, name="two_factor_disable"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("session/keep-and-sign-out/", views.keep_and_sign_out, name="keep_and_sign_out"),
    path("session/kept/discard/", views.kept_draft_discard, name="kept_draft_discard"),
    path("invitations/", views.supervisor_invitations, name="supervisor_invitations"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
