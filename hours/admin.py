"""The hours in the admin: rule sets are edited here (they are data). Nobody's hours or
signatures are listed: an administrator manages people and rules, not anyone's record."""

from django.contrib import admin

from .models import RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "jurisdiction", "licence", "effective_from", "sign_period"]
    search_fields = ["name", "jurisdiction", "licence"]
    readonly_fields = ["key", "name", "jurisdiction", "licence", "effective_from", "sign_period"]
    fields = ["definition", *readonly_fields]
