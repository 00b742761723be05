from django.contrib import admin

from supervision.admin_labels import labelled_formset
from supervision.models import AuditAction, Role, User

from .models import GroupMembership, SupervisionGroup
from .services import facilitator_recorded, group_delete, membership_recorded


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        # A table's cells are labelled by column and row (the heading is no label), and
        # the member is chosen from supervisees (a plain select, which is labelled too).
        return labelled_formset(super().get_formset(request, obj, **kwargs))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = User.objects.filter(
                role=Role.SUPERVISEE, is_staff=False, is_active=True
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(SupervisionGroup)
class SupervisionGroupAdmin(admin.ModelAdmin):
    """Roles are checked by the models' clean() (the forms call it); every change of
    facilitator or membership writes an audit row naming the administrator and tells the
    people in it (groups.services)."""

    list_display = ["name", "facilitator", "created_at"]
    search_fields = ["name", "facilitator__display_name"]
    autocomplete_fields = ["facilitator"]
    inlines = [GroupMembershipInline]

    def save_model(self, request, obj, form, change):
        before = None
        if change and "facilitator" in form.changed_data:
            before = SupervisionGroup.objects.get(pk=obj.pk).facilitator
        super().save_model(request, obj, form, change)
        if not change or before is not None:
            facilitator_recorded(group=obj, by=request.user, created=not change, before=before)

    def save_formset(self, request, form, formset, change):
        if formset.model is not GroupMembership:
            return super().save_formset(request, form, formset, change)
        # Read before save(), which deletes them.
        deleted = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]
        for membership in deleted:
            membership_recorded(
                membership=membership, by=request.user, action=AuditAction.DELETE, what="removed"
            )
        saved = formset.save()
        changed = {m.pk for m, _ in formset.changed_objects}
        for membership in saved:
            if membership in formset.new_objects:
                what, action = "began", AuditAction.CREATE
            elif membership.pk in changed:
                what, action = "changed", AuditAction.UPDATE
            else:
                continue
            membership_recorded(membership=membership, by=request.user, action=action, what=what)
        return saved

    def delete_model(self, request, obj):
        group_delete(group=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for group in queryset:
            self.delete_model(request, group)
