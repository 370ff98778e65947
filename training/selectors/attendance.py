"""The attendance sheet of one item and day."""

import datetime
from dataclasses import dataclass

from ..models import (
    Attendance,
    CohortMembership,
    ScheduleItem,
)


@dataclass
class AttendanceRow:
    membership: CohortMembership
    present: bool
    method: str = ""


def attendance_sheet(*, item: ScheduleItem, day: datetime.date) -> list[AttendanceRow]:
    """The trainees an item is for, with who is marked present on a day."""
    from ..services import attendance_trainees

    memberships = list(
        attendance_trainees(item).select_related("user", "region").order_by("user__display_name", "user__email")
    )
    marks = {
        attendance.trainee_id: attendance
        for attendance in Attendance.objects.filter(schedule_item=item, day=day).only("trainee_id", "present", "method")
    }
    return [
        AttendanceRow(
            membership=membership,
            present=bool(marks.get(membership.user_id) and marks[membership.user_id].present),
            method=marks[membership.user_id].method if membership.user_id in marks else "",
        )
        for membership in memberships
    ]
