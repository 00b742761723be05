from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"
    verbose_name = "Group supervision"

    def ready(self):
        from cases import log_page
        from reflections import export, selectors
        from supervision import erasure

        from .erasure import ERASER
        from .models import GroupComment
        from .selectors import group_comments_of
        from .views import LOG_SHARE_PANEL

        erasure.register(ERASER)
        log_page.register(LOG_SHARE_PANEL)
        export.register_section("group_comments", group_comments_of)
        # Audit rows about group comments written before the model moved here name it by
        # its old label; both describe the same rows.
        for label in ("groups.groupcomment", "reflections.groupcomment"):
            selectors.register_on_a_log(
                label, GroupComment, "a group discussion comment on", "share__log"
            )
