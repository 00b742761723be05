from django.contrib import admin

from supervision.catalog_admin import CatalogAdmin

from .models import Practice, ReflectiveQuestion, Strength


@admin.register(ReflectiveQuestion)
class ReflectiveQuestionAdmin(CatalogAdmin):
    list_display = ["name", "text", "position", "is_retired"]
    # A plain, labelled multiple choice: the two-box picker fails the accessibility scan.


@admin.register(Practice)
class PracticeAdmin(CatalogAdmin):
    pass


@admin.register(Strength)
class StrengthAdmin(CatalogAdmin):
    pass
