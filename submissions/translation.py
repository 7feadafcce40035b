"""Secretariat-written content given in each language (django-modeltranslation).

See accounts/content_languages.py. Adding a field here adds its per-language columns
(run makemigrations) and makes reading it language-aware everywhere.
"""

from modeltranslation.translator import TranslationOptions, register

from submissions.models import Cycle


@register(Cycle)
class CycleTranslation(TranslationOptions):
    fields = ("theme",)
    empty_values = None  # a blank translation is NULL: pages fall back to English
