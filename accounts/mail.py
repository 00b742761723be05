"""E-mails about an account (invitation links, set-up codes, a reset), sent after commit.

They carry a link or a code and never note text. A mail outage must not turn the action
into a 500 after it is stored: the failure is logged (never the message, which holds the
secret) and the person asks again (a new link, a new code).
"""

import logging

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def mail_after_commit(*, address: str, subject: str, body: str, about: str, user_id: int) -> None:
    def send() -> None:
        try:
            send_mail(subject=subject, message=body, from_email=None, recipient_list=[address])
        except OSError:  # smtplib's errors are OSErrors too
            logger.exception("The %s e-mail to user %s failed", about, user_id)

    transaction.on_commit(send)
