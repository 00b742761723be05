from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied

from .erasure_admin import ErasePersonAdminMixin
from .models import (
    AuditEvent,
    SupervisionRelationship,
    User,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ErasePersonAdminMixin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["display_name"]
    list_display = ["display_name", "email", "role", "is_active", "is_staff", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["display_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["display_name", "role"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "role", "password1", "password2"],
            },
        ),
    ]


@admin.register(SupervisionRelationship)
class SupervisionRelationshipAdmin(admin.ModelAdmin):
    list_display = ["supervisor", "supervisee", "starts_on", "ends_on"]
    list_filter = ["starts_on", "ends_on"]
    search_fields = ["supervisor__display_name", "supervisee__display_name"]
    autocomplete_fields = ["supervisor", "supervisee"]
    date_hierarchy = "starts_on"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the list shows every column, and
    there is no add, change or delete (the change page itself is refused)."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "owner", "client_ip"]
    list_display_links = None
    list_filter = ["action", "object_type"]
    search_fields = ["object_id__exact"]
    search_help_text = "Object id (exact)."
    date_hierarchy = "at"
    list_select_related = ["actor", "owner"]
    actions = None

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied("Audit rows cannot be changed.")
