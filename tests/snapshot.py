"""A picture of every row the app keeps, to prove a request changed nothing.

Audit rows are left out on purpose: reading a note writes one, and that is not a
change to anyone's data. `last_login` moves when a test client logs in, and
`answer_read_at` (a read receipt: the reply's author opened the log page and saw
the answer) when a supervisor reads a log. Review activity is presence ("Dr A is writing
a reply", written when she opens the reply form), like the audit trail, not anyone's data.
"""

from django.apps import apps

APPS = ("supervision", "accounts", "cases", "reflections", "groups", "hours")
SKIP_MODELS = {"supervision.auditevent", "cases.reviewactivity"}
SKIP_FIELDS = {"last_login", "answer_read_at"}


def snapshot() -> dict[str, list[tuple]]:
    picture = {}
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label_lower
            if label in SKIP_MODELS:
                continue
            fields = [f.attname for f in model._meta.concrete_fields if f.name not in SKIP_FIELDS]
            rows = model.objects.order_by("pk").values_list(*fields)
            picture[label] = list(rows)
            for m2m in model._meta.many_to_many:
                through = m2m.remote_field.through
                picture[f"{label}.{m2m.name}"] = list(through.objects.order_by("pk").values_list())
    return picture
