from django.contrib import admin

from supervision.catalog_admin import CatalogAdmin

from .models import ClientPresentation, Pattern, PatternFamily


@admin.register(PatternFamily)
class PatternFamilyAdmin(CatalogAdmin):
    pass


@admin.register(Pattern)
class PatternAdmin(CatalogAdmin):
    list_display = ["name", "family", "slug", "position", "is_background", "is_retired"]
    list_filter = ["family", "is_retired", "is_background"]
    list_select_related = ["family"]


@admin.register(ClientPresentation)
class ClientPresentationAdmin(CatalogAdmin):
    pass
