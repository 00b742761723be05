"""The "Waiting for you" strip's queries, compiled once per process: the same SQL for every
person and every day; each person gets her own rows, as the ORM's definitions give them."""

import datetime

from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import KeptDraft
from accounts.services import kept_cutoff
from cases import waiting
from cases.models import LogStatus, SessionLog
from reflections import selectors as reflection_selectors
from tests.factories import AskedQuestionFactory, ReplyFactory, SessionLogFactory, UserFactory


def _two_people_with_work(supervisor):
    people = []
    for n in (1, 2):
        person = UserFactory()
        for i in range(n + 1):
            SessionLogFactory(author=person, client_code=f"D-{n}{i}")
            returned = SessionLogFactory(
                author=person, status=LogStatus.RETURNED, submitted_at=timezone.now()
            )
            ReplyFactory(log=returned, author=supervisor, decision="return", feedback=f"R{n}{i}")
            AskedQuestionFactory(reply__log__author=person, text=f"Q{n}{i}")
        KeptDraft.objects.create(owner=person, form="log_new", fields={"client_code": ["X"]})
        people.append(person)
    return people


def test_the_strip_reads_each_persons_own_rows_with_one_sql(supervisor):
    sam, kim = _two_people_with_work(supervisor)
    compiled = {
        "drafts": waiting._DRAFTS,
        "returned": reflection_selectors._RETURNED,
        "questions": reflection_selectors._QUESTIONS_WAITING,
    }
    sql = {name: query.sql() for name, query in compiled.items()}
    for person in (sam, kim):
        orm = {
            "drafts": SessionLog.objects.live()
            .filter(author=person, status=LogStatus.DRAFT)
            .order_by("-updated_at", "-pk")
            .values_list("pk", "client_code", "session_date", "updated_at"),
            "returned": reflection_selectors.returned_logs(person).values_list(
                "pk", "client_code", "session_date", "request_text", "request_by", "request_at"
            ),
            "questions": reflection_selectors.questions_waiting(person).values_list(
                "pk",
                "text",
                "reply__created_at",
                "reply__author__display_name",
                "reply__log_id",
                "reply__log__client_code",
                "reply__log__session_date",
            ),
        }
        for name, query in compiled.items():
            rows = query.rows(person=person.pk, limit=10)
            assert rows == list(orm[name][:10]), name
            assert rows, name
            assert person.pk in query.params(person=person.pk)
            assert query.params(person=person.pk) != query.params(
                person=(kim if person == sam else sam).pk
            )
    assert {name: query.sql() for name, query in compiled.items()} == sql


def test_kept_drafts_take_the_person_and_the_cutoff_as_parameters(db):
    sam, kim = UserFactory(), UserFactory()
    KeptDraft.objects.create(owner=sam, form="log_new", fields={})
    old = KeptDraft.objects.create(owner=kim, form="log_new", fields={})
    KeptDraft.objects.filter(pk=old.pk).update(created_at=kept_cutoff() - datetime.timedelta(1))
    assert [k.label for k in account_selectors.kept_drafts_for(sam)] == ["A new session log"]
    assert account_selectors.kept_drafts_for(kim) == []
    now, later = kept_cutoff(), timezone.now() + datetime.timedelta(minutes=1)
    first = account_selectors._KEPT.params(person=sam.pk, since=now)
    second = account_selectors._KEPT.params(person=kim.pk, since=later)
    assert first != second and sam.pk in first and kim.pk in second
    # Moving the cutoff past Sam's draft leaves nothing: the time is a parameter, not frozen.
    assert account_selectors._KEPT.rows(person=sam.pk, since=later) == []
    assert len(account_selectors._KEPT.rows(person=sam.pk, since=now)) == 1
