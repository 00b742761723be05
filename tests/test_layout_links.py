"""The base layout's links, worked out once per process (config.context_processors)."""

from django.templatetags.static import static
from django.urls import reverse

from config.context_processors import PAGES, STATIC, _links


def test_each_link_is_the_reverse_of_its_page():
    links = _links("/")
    assert {key: links[key] for key in PAGES} == {key: reverse(name) for key, name in PAGES.items()}
    assert {key: links[key] for key in STATIC} == {
        key: static(path) for key, path in STATIC.items()
    }


def test_the_admin_and_invite_links_are_drawn(login, admin_user, supervisor, settings):
    settings.SUPERVISORS_MAY_INVITE = True
    assert f'href="{reverse("admin:index")}">Admin</a>' in (
        login(admin_user).get(reverse("notifications")).content.decode()
    )
    html = login(supervisor).get(reverse("notifications")).content.decode()
    assert f'href="{reverse("supervisor_invitations")}">Invite</a>' in html
    assert f'href="{reverse("cases:review_queue")}">Review queue</a>' in html
