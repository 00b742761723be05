from django.contrib import admin

from supervision.catalog_admin import CatalogAdmin

from .models import Practice, ReflectiveQuestion, Strength


@admin.register(ReflectiveQuestion)
class ReflectiveQuestionAdmin(CatalogAdmin):
    list_display = ["name", "text", "position", "is_retired"]
    filter_horizontal = ["patterns"]


@admin.register(Practice)
class PracticeAdmin(CatalogAdmin):
    pass


@admin.register(Strength)
class StrengthAdmin(CatalogAdmin):
    pass
