import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import ProtectedError

from cases.models import ClientPresentation, Pattern, PatternFamily
from reflections.catalog_loader import DEFAULT_PATH, catalog_load
from reflections.models import Practice, ReflectiveQuestion, Strength

SEED = tomllib.loads(DEFAULT_PATH.read_text())

EXACT_QUESTIONS = {
    "Normalising your imperfection": "What did I learn from that session that didn't go as planned?",
    "Exploring your control needs": "What am I afraid will happen if I don't have the perfect intervention ready?",
    "Process over outcome": "How did I stay present with my client's pain, regardless of whether it 'improved'?",
    "Countertransference exploration": "What does your need to have the perfect response tell us about what this client might be experiencing?",
    "Moving forward": "What is this teaching me?",
    "Presence over performance": "How can I be most present?",
}


def load(path=DEFAULT_PATH):
    out = io.StringIO()
    call_command("load_catalog", "--path", str(path), stdout=out)
    return out.getvalue()


def snapshot():
    return {
        model.__name__: sorted(
            model.objects.values_list("pk", "slug", "name", "description", "is_retired")
        )
        for model in [
            PatternFamily,
            Pattern,
            ClientPresentation,
            ReflectiveQuestion,
            Practice,
            Strength,
        ]
    } | {
        "links": sorted(
            ReflectiveQuestion.patterns.through.objects.values_list(
                "reflectivequestion_id", "pattern_id"
            )
        )
    }


@pytest.mark.django_db
def test_loads_everything_from_the_brief():
    load()
    assert PatternFamily.objects.count() == 4
    assert Pattern.objects.count() == len(SEED["patterns"]) == 19
    assert ClientPresentation.objects.count() == 5
    assert Practice.objects.count() == 5
    assert Strength.objects.count() == 5
    assert dict(ReflectiveQuestion.objects.values_list("name", "text")) == EXACT_QUESTIONS
    assert Pattern.objects.get(slug="academic-excellence").is_background


@pytest.mark.django_db
def test_pattern_question_mapping():
    load()

    def themes(slug):
        return set(
            Pattern.objects.get(slug=slug).reflective_questions.values_list("name", flat=True)
        )

    assert {"Presence over performance", "Process over outcome"} <= themes("over-preparation-trap")
    assert "Exploring your control needs" in themes("over-functioning")
    assert "Countertransference exploration" in themes("messy-client-avoidance")
    assert "Countertransference exploration" in themes("resistance-as-failure")
    assert {"Normalising your imperfection", "Moving forward"} <= themes("error-intolerance")
    assert {"Normalising your imperfection", "Moving forward"} <= themes("post-session-rumination")
    taggable = Pattern.objects.filter(is_background=False)
    assert all(p.reflective_questions.exists() for p in taggable), (
        "every taggable pattern suggests a question"
    )


@pytest.mark.django_db
def test_running_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    assert "0 created, 0 updated" in output
    assert snapshot() == before


def edited_copy(tmp_path, old, new) -> Path:
    text = DEFAULT_PATH.read_text()
    assert old in text
    path = tmp_path / "catalog.toml"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.django_db
def test_editing_a_text_updates_that_item_in_place(tmp_path):
    load()
    question = ReflectiveQuestion.objects.get(slug="moving-forward")
    pattern = Pattern.objects.get(slug="error-intolerance")
    links = set(question.patterns.all())
    path = edited_copy(
        tmp_path,
        'description = "Asked the next time a session doesn\'t go as planned."',
        'description = "Edited guidance."',
    )
    output = load(path)
    assert "updated reflective question moving-forward" in output
    assert "1 updated" in output
    question.refresh_from_db()
    assert question.description == "Edited guidance."
    assert set(question.patterns.all()) == links
    assert pattern in question.patterns.all()


@pytest.mark.django_db
def test_retiring_hides_from_new_use_but_keeps_the_row(tmp_path):
    load()
    pk = Practice.objects.get(slug="beginners-mind").pk
    path = edited_copy(
        tmp_path,
        'slug = "beginners-mind"',
        'slug = "beginners-mind"\nretired = true',
    )
    load(path)
    assert Practice.objects.get(pk=pk).is_retired
    assert not Practice.objects.in_use().filter(pk=pk).exists()
    load()  # un-retiring works the same way
    assert Practice.objects.in_use().filter(pk=pk).exists()


@pytest.mark.django_db
def test_referenced_items_cannot_be_hard_deleted():
    load()
    family = PatternFamily.objects.get(slug="traits")
    with pytest.raises(ProtectedError):
        family.delete()


@pytest.mark.django_db
def test_unknown_reference_is_refused_and_nothing_changes(tmp_path):
    path = edited_copy(tmp_path, 'family = "traits"', 'family = "no-such-family"')
    with pytest.raises(CommandError, match="no-such-family"):
        load(path)
    assert Pattern.objects.count() == 0
    assert PatternFamily.objects.count() == 0


@pytest.mark.django_db
def test_malformed_file_is_refused(tmp_path):
    path = tmp_path / "catalog.toml"
    path.write_text("[[patterns]\nslug=")
    with pytest.raises(CommandError):
        load(path)


@pytest.mark.django_db
def test_unknown_keys_are_refused(tmp_path):
    path = edited_copy(
        tmp_path, 'slug = "beginners-mind"', 'slug = "beginners-mind"\ncolour = "red"'
    )
    with pytest.raises(CommandError, match="colour"):
        load(path)


@pytest.mark.django_db
def test_service_reports_counts():
    report = catalog_load()
    assert len(report.created) == 44
    assert catalog_load().unchanged == 44
