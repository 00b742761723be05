import datetime

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """A period's first day in the address: 2026-11-02."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as exc:  # 2026-02-31: no such page
            raise ValueError(value) from exc

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


class PeriodConverter:
    regex = r"week|month"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IsoDateConverter, "isodate")
register_converter(PeriodConverter, "period")

app_name = "hours"

urlpatterns = [
    path("hours/", views.overview, name="overview"),
    path("hours/settings/", views.settings_edit, name="settings"),
    path("hours/entries/new/", views.entry_create, name="entry_create"),
    path("hours/entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("hours/entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("hours/entries.csv", views.entries_csv, name="entries_csv"),
    path("hours/unsigned.pdf", views.unsigned_statement, name="unsigned_statement"),
    path("hours/<period:period>/<isodate:start>/", views.my_period, name="my_period"),
    path(
        "hours/<period:period>/<isodate:start>/weekly-log.pdf",
        views.weekly_log_pdf,
        name="weekly_log",
    ),
    path(
        "hours/<period:period>/<isodate:start>/verification/<int:signature_pk>.pdf",
        views.verification_pdf,
        name="verification",
    ),
    path("hours/to-sign/", views.to_sign, name="to_sign"),
    path("hours/licence/", views.licence_edit, name="licence"),
    path("hours/supervisees/<int:person_pk>/sign/", views.sign_periods, name="sign_periods"),
    path(
        "hours/supervisees/<int:person_pk>/<period:period>/<isodate:start>/",
        views.supervisee_period,
        name="supervisee_period",
    ),
    path(
        "hours/supervisees/<int:person_pk>/<period:period>/<isodate:start>/weekly-log.pdf",
        views.weekly_log_pdf,
        name="supervisee_weekly_log",
    ),
    path(
        "hours/supervisees/<int:person_pk>/<period:period>/<isodate:start>/verification/"
        "<int:signature_pk>.pdf",
        views.verification_pdf,
        name="supervisee_verification",
    ),
    path("hours/supervisions/", views.supervisions, name="supervisions"),
    path("hours/supervisions/<int:pk>/end/", views.supervision_end, name="supervision_end"),
]
