from django.contrib import admin


class CatalogAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_retired"]
    list_filter = ["is_retired"]
    list_editable = ["position", "is_retired"]
    search_fields = ["name", "slug", "description"]

    def get_readonly_fields(self, request, obj=None):
        # A slug is how seeds/ finds the row again; changing it would orphan the row.
        return ["slug"] if obj else []
