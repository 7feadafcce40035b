"""Secretariat-written content given in each language (django-modeltranslation).

See accounts/content_languages.py.
"""

from modeltranslation.translator import TranslationOptions, register

from judging.models import Criterion


@register(Criterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name", "description")
    empty_values = None  # a blank translation is NULL: pages fall back to English
    required_languages = ("en",)
