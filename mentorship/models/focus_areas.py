"""Focus areas: the duties of the professional standards that hosts offer and trainees seek."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from training.models import ProgrammeKind


class FocusArea(models.TextChoices):
    """Duties from the professional standards for principals and for teachers."""

    PLANNING_DEVELOPMENT = "planning_development", _("Planning school development")
    SHAPING_CULTURE = "shaping_culture", _("Shaping school culture")
    LEADING_TEACHING = "leading_teaching", _("Leading teaching and the curriculum")
    GUIDING_TEACHER_GROWTH = "guiding_teacher_growth", _("Guiding teacher growth")
    OPTIMISING_MANAGEMENT = "optimising_management", _("Optimising the school environment and management")
    ADJUSTING_OUTSIDE = "adjusting_outside", _("Adjusting to the outside environment")
    LESSON_DESIGN = "lesson_design", _("Designing lessons")
    LESSON_DELIVERY = "lesson_delivery", _("Teaching lessons")
    CLASS_MANAGEMENT = "class_management", _("Managing a class")
    ASSESSMENT = "assessment", _("Assessing learning")
    COMMUNICATION = "communication", _("Communicating and working together")
    REFLECTION = "reflection", _("Reflecting and developing")

    @classmethod
    def for_kind(cls, kind: str) -> list["FocusArea"]:
        """The standard that applies: principals' duties or teachers' abilities."""
        members = list(cls)
        return members[:6] if kind == ProgrammeKind.SHADOW_PRINCIPAL else members[6:]
