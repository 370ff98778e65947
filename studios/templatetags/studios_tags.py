"""`{% person_studios person as places %}`: a person's studios, for records kept by apps that do not import studios."""

from django import template

from ..selectors import studios_of_person

register = template.Library()


@register.simple_tag
def person_studios(person):
    return studios_of_person(person=person)
