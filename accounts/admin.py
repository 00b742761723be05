"""The admin's invitations, and its reset of a person's two-factor.

People are invited, never given a password: the add page asks who she is, her role and her
supervision relationships, and e-mails her a one-time link (accounts/services.py).
"""

from typing import cast

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from supervision.admin import UserAdmin
from supervision.models import User

from . import two_factor
from .forms import InvitationForm
from .models import Invitation
from .services import InvitationError, invitation_create, invitation_resend, invitation_revoke


def _user(request: HttpRequest) -> User:
    """The admin's pages are for signed-in staff only (the admin site checks it)."""
    return cast(User, request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "role", "status", "invited_by", "sent_at", "expires_at"]
    list_select_related = ["user", "invited_by"]
    search_fields = ["user__display_name", "user__email"]
    # Never the token's hash: nothing here helps anyone guess a link.
    readonly_fields = (
        "user",
        "invited_by",
        "created_at",
        "sent_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    )
    fields = readonly_fields
    actions = None

    @admin.display(description="E-mail address", ordering="user__email")
    def email(self, invitation: Invitation) -> str:
        return invitation.user.email

    @admin.display(description="Role", ordering="user__role")
    def role(self, invitation: Invitation) -> str:
        return invitation.user.get_role_display()

    @admin.display(description="Status")
    def status(self, invitation: Invitation) -> str:
        return invitation.status.label

    # The rows change only through the services: the change page is read-only.
    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def _missing(self, request: HttpRequest) -> HttpResponse:
        self.message_user(request, "That invitation does not exist.", messages.WARNING)
        return redirect("admin:accounts_invitation_changelist")

    def _may_manage(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.change_invitation")

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/resend/",
                wrap(self.resend_view),
                name="accounts_invitation_resend",
            ),
            path(
                "<path:object_id>/revoke/",
                wrap(self.revoke_view),
                name="accounts_invitation_revoke",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None):
        """One invitation: its state, and re-send or revoke (Django's read-only form would
        show the person as a link inside text, and nothing to act with)."""
        invitation = self.get_object(request, unquote(object_id))
        if invitation is None:
            return self._missing(request)
        if not self.has_view_permission(request, invitation):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": f"Invitation of {invitation.user}",
            "opts": self.opts,
            "invitation": invitation,
            "may_manage": self._may_manage(request),
            # Passed in: the admin's templates belong to the lowest layer (tests/test_layers.py).
            "resend_url": reverse("admin:accounts_invitation_resend", args=[invitation.pk]),
            "revoke_url": reverse("admin:accounts_invitation_revoke", args=[invitation.pk]),
        }
        return TemplateResponse(request, "admin/accounts/invitation/detail.html", context)

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitation_create(
                    by=_user(request),
                    email=data["email"],
                    display_name=data["display_name"],
                    role=data["role"],
                    supervisors=data["supervisors"],
                    supervisees=data["supervisees"],
                    starts_on=data["starts_on"],
                )
            except InvitationError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request,
                    f"Invitation e-mailed to {invitation.user.email}. "
                    "She chooses her own password with the link.",
                    messages.SUCCESS,
                )
                return redirect("admin:accounts_invitation_change", invitation.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Invite a person",
            "opts": self.opts,
            "form": form,
            "has_view_permission": self.has_view_permission(request),
        }
        return TemplateResponse(request, "admin/accounts/invitation/invite.html", context)

    def _act(self, request: HttpRequest, object_id: str, action, done: str) -> HttpResponse:
        invitation = self.get_object(request, unquote(object_id))
        if invitation is None:
            return self._missing(request)
        change_url = reverse("admin:accounts_invitation_change", args=[invitation.pk])
        if request.method != "POST":
            return redirect(change_url)
        if not self._may_manage(request):
            raise PermissionDenied
        try:
            action(invitation=invitation, by=_user(request))
        except InvitationError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return redirect(change_url)

    def resend_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._act(
            request,
            object_id,
            invitation_resend,
            "A new link was e-mailed; the old one no longer works.",
        )

    def revoke_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._act(request, object_id, invitation_revoke, "The invitation was revoked.")


# Deleting someone's authenticator (a lost phone) is a reset: her recovery codes go too, her
# sessions end, she is told by e-mail, and setting up again needs a code from that e-mail.
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    def delete_model(self, request, obj) -> None:
        two_factor.two_factor_reset(user=obj.user, by=_user(request))

    def delete_queryset(self, request, queryset) -> None:
        for user in {device.user for device in queryset.select_related("user")}:
            two_factor.two_factor_reset(user=user, by=_user(request))


# People are added by invitation only: the admin's own "add user" page (a password chosen by
# the administrator) and "change password" page are closed, and no page shows the hash.
admin.site.unregister(User)


@admin.register(User)
class PersonAdmin(UserAdmin):
    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:accounts_invitation_add")

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied(
            "People choose their own passwords; a forgotten one is reset by e-mail."
        )

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in super().get_fieldsets(request, obj)
        ]
