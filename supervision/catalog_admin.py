from django.contrib import admin

from .admin_labels import labelled


class CatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_retired"]
    list_filter = ["is_retired"]
    list_editable = ["position", "is_retired"]
    search_fields = ["name", "slug", "description"]

    def get_readonly_fields(self, request, obj=None):
        # A slug is how seeds/ finds the row again; changing it would orphan the row.
        return ["slug"] if obj else []

    def get_changelist_form(self, request, **kwargs):
        # Each editable cell named after its column and row (supervision/admin_labels.py).
        return labelled(super().get_changelist_form(request, **kwargs))
