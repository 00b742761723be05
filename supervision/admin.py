from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import GroupMembership, SupervisionGroup, SupervisionRelationship, User


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "display_name", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 1
    autocomplete_fields = ["member"]


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "facilitator", "created_at"]
    search_fields = ["name", "facilitator__display_name"]
    autocomplete_fields = ["facilitator"]
    inlines = [GroupMembershipInline]
