"""The core loop through the test client: write, tag, submit, reply, sign, answer."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import LogStatus, Pattern, SessionLog
from reflections.models import AskedQuestion, Reply


def log_post(**overrides):
    data = {
        "client_code": "c-17",
        "session_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "duration_minutes": "50",
        "modality": "in_person",
        "what_happened": "Client spoke about a difficult week; I lost the thread of my plan.",
        "what_i_felt": "Exposed, as if I should have known what to do.",
        "what_i_did": "Slowed down and asked what mattered most today.",
        "what_it_teaches": "Not knowing is survivable.",
        "pre_session_anxiety": "7",
        "post_session_rumination": "5",
        "then": "draft",
    }
    data.update(overrides)
    return data


def test_whole_loop(client, supervisee, supervisor, catalog, django_capture_on_commit_callbacks):
    over_prep = Pattern.objects.get(slug="over-preparation-trap")
    client.force_login(supervisee)
    response = client.post(
        reverse("cases:log_create"),
        log_post(
            **{f"tag_{over_prep.pk}": "on", f"note_{over_prep.pk}": "Planned three exercises."}
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    log = SessionLog.objects.get()
    assert log.client_code == "C-17"
    assert log.status == LogStatus.DRAFT
    assert [t.pattern for t in log.tags.all()] == [over_prep]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cases:log_submit", args=[log.pk]))
    log.refresh_from_db()
    assert log.status == LogStatus.SUBMITTED
    assert [m.to for m in mail.outbox] == [[supervisor.email]]
    assert log.what_happened not in mail.outbox[0].body

    client.force_login(supervisor)
    queue = client.get(reverse("cases:review_queue"))
    assert [row.pk for row in queue.context["logs"]] == [log.pk]
    form = client.get(reverse("reflections:reply_create", args=[log.pk])).context["form"]
    suggested = form.fields["questions"].initial
    themes = set(
        form.fields["questions"].queryset.filter(pk__in=suggested).values_list("name", flat=True)
    )
    # One suggestion: both fit the one tagged pattern; the catalog's order breaks the tie.
    assert themes == {"Process over outcome"}
    response = client.post(
        reverse("reflections:reply_create", args=[log.pk]),
        {
            "feedback": "You noticed the plan getting in the way.",
            "questions": suggested,
            "decision": "sign",
            "version": form["version"].value(),
        },
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == LogStatus.SIGNED
    assert log.signed_by == supervisor and len(log.signed_sha256) == 64

    client.force_login(supervisee)
    page = client.get(log.get_absolute_url())
    assert page.context["signature_ok"] is True
    question = AskedQuestion.objects.first()
    client.post(reverse("reflections:answer", args=[question.pk]), {"answer": "To trust the room."})
    question.refresh_from_db()
    assert question.answer == "To trust the room."
    assert Reply.objects.count() == 1
