from django.contrib import admin

from .models import Cohort, CohortMembership, CohortRegion, HoursEntry, Programme


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
    raw_id_fields = ["user"]


@admin.register(HoursEntry)
class HoursEntryAdmin(admin.ModelAdmin):
    list_display = ["trainee", "cohort", "source", "hours", "occurred_on"]
    list_select_related = ["trainee", "cohort"]
    raw_id_fields = ["trainee", "credited_by"]

    def has_change_permission(self, request, obj=None):
        return False  # the ledger is append-only; corrections are new entries
