from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards and group work"

    def ready(self):
        from django.urls import reverse

        from supervision import links

        # The review queue (a lower layer) links each supervisee to her page here.
        links.register_supervisee_page(
            lambda pk: reverse("dashboards:supervisee_detail", args=[pk])
        )
