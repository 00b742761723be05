"""Template tags of the config layer, for Django's engine (settings.TEMPLATES "libraries")."""

from django import template

from . import context_processors

register = template.Library()


@register.simple_tag
def layout_links() -> dict[str, str]:
    """The layout's links, for a page drawn without the request's context processors (the 500
    page, whose head is base.html's: _head.html)."""
    return context_processors.links()
