"""Template tags of the config layer, for Django's engine (settings.TEMPLATES "libraries")."""

from django import template

from supervision.formats import Row

from . import context_processors

register = template.Library()


@register.simple_tag
def layout_links() -> Row:
    """The layout's links, for a page drawn without the request's context processors (the 500
    page, whose head is base.html's: _head.html)."""
    return context_processors.links()
