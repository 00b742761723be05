"""The benchmark's ceiling page: signed in, a session, a user and a tiny template."""

from django.urls import reverse


def test_ping_names_the_person_signed_in(login, supervisee, django_assert_max_num_queries):
    client = login(supervisee)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("ping"))
    assert response.status_code == 200
    assert "Signed in as Sam Supervisee." in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_ping_sends_anonymous_visitors_to_log_in(client, db):
    response = client.get(reverse("ping"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_empty_layout_is_the_base_layout_with_nothing_in_main(login, supervisee):
    """The benchmark's layout row (config.views.layout) measures the layout alone."""
    response = login(supervisee).get(reverse("layout"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sam Supervisee" in html and 'href="/notifications/"' in html
    main = html.split('<main id="main" class="container pb-5">', 1)[1].split("</main>", 1)[0]
    assert main.strip() == ""
