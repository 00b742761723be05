from django.contrib import admin

from .models import GroupMembership, SupervisionGroup


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
