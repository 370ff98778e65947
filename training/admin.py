"""Django admin for programmes, cohorts, memberships, the ledger and invitations (staff only)."""

from django.contrib import admin

from .models import (
    Assignment,
    Attendance,
    Certificate,
    Cohort,
    CohortMembership,
    CohortRegion,
    EnrolmentImport,
    HoursEntry,
    Invitation,
    Programme,
    ScheduleItem,
    Submission,
)


class CohortRegionInline(admin.TabularInline):
    model = CohortRegion
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "kind", "credit_hours"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "status", "starts_on", "ends_on", "capacity"]
    list_filter = ["status", "programme"]
    list_select_related = ["programme"]
    inlines = [CohortRegionInline]


@admin.register(CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "role", "status", "region"]
    list_filter = ["role", "status", "cohort"]
    list_select_related = ["user", "cohort", "region"]
    raw_id_fields = ["user", "decided_by"]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["trainee", "cohort", "source", "hours", "occurred_on"]
    list_select_related = ["trainee", "cohort"]
    raw_id_fields = ["trainee", "credited_by", "corrects"]

    def has_change_permission(self, request, obj=None):
        return False  # the ledger is append-only; corrections are new entries

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "membership", "status", "expires_at", "accepted_at"]
    list_filter = ["status"]
    list_select_related = ["membership__cohort", "membership__user"]
    raw_id_fields = ["membership", "invited_by"]
    search_fields = ["email"]


@admin.register(EnrolmentImport)
class EnrolmentImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "cohort", "status", "total_rows", "created_count", "created_at"]
    list_filter = ["status"]
    exclude = ["content"]
    readonly_fields = ["errors"]


@admin.register(ScheduleItem)
class ScheduleItemAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "kind", "starts_at", "ends_at", "status", "sequence"]
    list_filter = ["kind", "status", "cohort"]
    list_select_related = ["cohort"]
    filter_horizontal = ["participants"]
    raw_id_fields = ["created_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["trainee", "schedule_item", "day", "present", "method"]
    list_select_related = ["trainee", "schedule_item"]
    raw_id_fields = ["trainee", "schedule_item", "recorded_by", "hours_entry"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "kind", "due_at", "reviewer"]
    list_select_related = ["cohort"]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["assignment", "trainee", "attempt", "status", "is_late", "submitted_at"]
    list_filter = ["status", "is_late"]
    list_select_related = ["assignment", "trainee"]
    raw_id_fields = ["trainee", "reviewed_by"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "holder_name", "programme_title", "issued_at", "revoked_at"]
    search_fields = ["code", "holder_name"]
    raw_id_fields = ["membership", "issued_by", "revoked_by"]
