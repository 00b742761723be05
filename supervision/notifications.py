"""In-app notifications and their e-mails.

E-mails carry who did what and a link, never note text: mail leaves the
clinic's control, so the content stays behind the log-in.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification, User

logger = logging.getLogger(__name__)


def notification_send(
    *, recipients: Iterable[User], message: str, url: str, email_message: str | None = None
) -> list[Notification]:
    """Record a notice for each recipient and e-mail them once the transaction commits.

    The notice may name what it is about (a log's client code and date) so that thirty
    notices do not read alike; `email_message`, when given, is what the e-mail says
    instead, since a mailbox is read outside the clinic's control."""
    created = []
    mailed = email_message or message
    for recipient in recipients:
        if not recipient.is_active:
            continue
        created.append(Notification.objects.create(recipient=recipient, message=message, url=url))
        transaction.on_commit(_mailer(recipient, mailed, url))
    return created


def _mailer(recipient: User, message: str, url: str):
    def send():
        try:
            _send(recipient.email, message, url)
        except Exception:
            # The in-app notice is already stored; a mail outage must not undo the action.
            logger.exception("Notification e-mail to user %s failed", recipient.pk)

    return send


def _send(address: str, message: str, url: str) -> None:
    send_mail(
        subject=f"Good Enough: {message}",
        message=(
            f"{message}\n\nOpen it in Good Enough: {settings.SITE_URL}{url}\n\n"
            "This e-mail never contains note text; log in to read it."
        ),
        from_email=None,
        recipient_list=[address],
    )
