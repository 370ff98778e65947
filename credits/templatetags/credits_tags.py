from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """`mapping[key]` in a template, or None."""
    return mapping.get(key) if mapping else None


@register.filter
def index(sequence, position):
    """`sequence[position]` in a template."""
    return sequence[position]
