"""What every template must keep true, whatever page it draws."""

from pathlib import Path

from django.conf import settings


def test_template_comments_fit_on_one_line():
    # Django's {# #} comment ends at the line's end: a second line would be drawn on the page.
    spilled = [
        f"{path.relative_to(settings.BASE_DIR)}:{n}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert spilled == [], "use {% comment %} for a comment longer than a line"
