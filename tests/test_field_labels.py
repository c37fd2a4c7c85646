"""Every field a person can see in the admin or a form has a translated label, so the Chinese
admin does not show English column names (issue 9, item 4)."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise


def test_every_editable_field_of_ours_has_a_translated_label() -> None:
    bare = []
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("finegrid."):
            continue
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or field.auto_created or not field.editable:
                continue
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(field.verbose_name, Promise):
                bare.append(label)
                continue
            with translation.override("zh-hans"):
                zh = str(field.verbose_name)
            with translation.override("en"):
                en = str(field.verbose_name)
            if zh == en and not any(ch.isdigit() for ch in en) and en.isascii():
                untranslated.append(label)
    assert bare == []
    assert untranslated == []
