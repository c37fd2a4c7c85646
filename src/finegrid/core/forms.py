"""The base of every page form: text is checked as the API checks it (see core.text).

A field with a ``Textarea`` takes several lines (their breaks made plain LF); every other text
field takes one. A refused character is reported beside the field, as any other error is.
"""

from __future__ import annotations

from django import forms

from finegrid.core import text


class Form(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        cleaned = getattr(self, "cleaned_data", None)
        if cleaned is None:  # an unbound form is never cleaned
            return
        for name, value in list(cleaned.items()):
            field = self.fields.get(name)
            if field is None or not isinstance(value, str):
                continue
            multiline = isinstance(field.widget, forms.Textarea)
            problem = text.text_problem(
                value, field=name, label=field.label or name, multiline=multiline
            )
            if problem is not None:
                self.add_error(name, str(problem.message) % (problem.params or {}))
            elif multiline:
                cleaned[name] = text.normalize_newlines(value)
