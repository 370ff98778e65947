"""Trainees' reflections and comments on them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .pairings import Pairing


class Reflection(models.Model):
    """A trainee's reflection: the pair and the coordinators see it, nobody else."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="reflections", verbose_name=_("pairing")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("reflection"))  # cleaned with nh3 by the service
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")

    def __str__(self) -> str:
        return self.title


class ReflectionComment(models.Model):
    reflection = models.ForeignKey(
        Reflection, on_delete=models.CASCADE, related_name="comments", verbose_name=_("reflection")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))  # cleaned with nh3 by the service
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.reflection_id} · {self.author_id}"
