"""Giving any Django form Bootstrap's classes, for the few forms not rendered with crispy."""

from django import forms


def style_form(form, *, small=False):
    size = "-sm" if small else ""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.Select | forms.SelectMultiple | forms.NullBooleanSelect):
            css = f"form-select form-select{size}" if small else "form-select"
        elif isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        else:
            css = f"form-control form-control{size}" if small else "form-control"
            if name == "q":
                widget.input_type = "search"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
    return form
