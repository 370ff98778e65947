"""How every form on the site renders: through the project's templates, with one field template.

`{{ form }}` renders templates/forms/form.html (the error summary, then each
field) and `{{ field.as_field_group }}` renders templates/forms/field.html
(label, widget, help text and errors, as the stylesheet expects), so
templates no longer loop over fields by hand.
"""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
