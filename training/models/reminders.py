"""What reminder finders have already handed over, so each run reads only what is new."""

from django.db import models
from django.utils import timezone


class ReminderMark(models.Model):
    """Which reminder occasions a finder has already handed to notifications, so it looks at each once."""

    key = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    occasion = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "target_id", "occasion"], name="training_reminder_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key}:{self.target_id}:{self.occasion}"
