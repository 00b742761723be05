"""Steps the accounts tests share."""

import re

import pytest
from django.urls import reverse


@pytest.fixture
def email_code(django_capture_on_commit_callbacks, mailoutbox):
    """Ask the set-up page for a code by e-mail and return the code the e-mail holds."""

    def _send(client) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("two_factor_email_code"))
        assert response.status_code == 302
        found = re.search(r"Your code is (\d{6})", mailoutbox[-1].body)
        assert found, mailoutbox[-1].body
        return found.group(1)

    return _send


@pytest.fixture
def prove_email(email_code):
    """The e-mail step of a first two-factor set-up, done: the QR code shows next."""

    def _prove(client) -> None:
        response = client.post(reverse("two_factor_setup"), {"code": email_code(client)})
        assert response.status_code == 302
        assert response.url == reverse("two_factor_setup")

    return _prove
