from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_training_actions(actions):
    actions.register_action("training.hours.correct", _("Correct hours"), _("Hours corrected"))
