"""A picture of every row the app keeps, to prove a request changed nothing.

Audit rows are left out on purpose: reading a note writes one, and that is not a
change to anyone's data. `last_login` moves when a test client logs in.
"""

from django.apps import apps

APPS = ("supervision", "accounts", "cases", "reflections", "groups")
SKIP_MODELS = {"supervision.auditevent"}
SKIP_FIELDS = {"last_login"}


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
