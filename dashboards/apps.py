from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards and group work"

    def ready(self):
        from supervision import links

        # The review queue (a lower layer) links each supervisee to her page here.
        links.register_supervisee_pages(lambda: links.pk_url("dashboards:supervisee_detail"))
