"""The admin's "Erase this person": a confirmation page, then `person_erase`.

It names what will go and what will stay in counts, never in text: the admin
manages people and does not read notes. Mixed into the User admin.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .erasure import ErasureError, erasure_plan, person_erase, refusal


class ErasePersonAdminMixin:
    actions = ["erase_person"]

    def get_urls(self):
        erase = self.admin_site.admin_view(self.erase_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_erase"
        return [path("<path:object_id>/erase/", erase, name=name), *super().get_urls()]

    def _change_url(self, person) -> str:
        opts = self.opts
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[person.pk])

    @admin.action(description="Erase this person", permissions=["delete"])
    def erase_person(self, request: HttpRequest, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, "Choose exactly one person to erase.", messages.WARNING)
            return None
        opts = self.opts
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_erase", chosen[0].pk)

    def erase_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self.get_object(request, unquote(object_id))
        if person is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_delete_permission(request, person):
            raise PermissionDenied
        reason = refusal(person=person, by=request.user)
        if reason:
            self.message_user(request, reason, messages.ERROR)
            return redirect(self._change_url(person))
        if request.method == "POST":
            name = str(person)
            try:
                person_erase(person=person, by=request.user)
            except ErasureError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{name} was erased. Their signed records stay under the retention rule.",
                    messages.SUCCESS,
                )
            return redirect(self._change_url(person))
        context = {
            **self.admin_site.each_context(request),
            "title": f"Erase {person}?",
            "opts": self.opts,
            "person": person,
            "plan": erasure_plan(person),
            "change_url": self._change_url(person),
        }
        return TemplateResponse(request, "admin/supervision/user/erase_confirmation.html", context)
