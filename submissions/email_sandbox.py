"""The only tags and filters an email template written in the console may use.

The Secretariat's templates are compiled by an engine whose builtins are this
library alone: no ``{% load %}``, ``{% include %}``, ``{% url %}`` or anything that
reaches outside the placeholders given to it, and the placeholders are plain
values (no attribute lookups: see ``services.emails.template_check``).
"""

from django.template import Library, defaultfilters, defaulttags

register = Library()

register.tag("if", defaulttags.do_if)
register.tag("comment", defaulttags.comment)
register.tag("firstof", defaulttags.firstof)

for _name in (
    "default",
    "default_if_none",
    "upper",
    "lower",
    "title",
    "capfirst",
    "date",
    "time",
    "truncatewords",
    "truncatechars",
    "length",
    "pluralize",
    "yesno",
    "wordwrap",
):
    register.filter(_name, getattr(defaultfilters, _name))
