from django.contrib import admin

from .models import PlannedActivity, Studio, StudioMembership, StudioPlan


class MembershipInline(admin.TabularInline):
    model = StudioMembership
    fk_name = "studio"
    extra = 0
    raw_id_fields = ["person", "decided_by"]


@admin.register(Studio)
class StudioAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "leader", "region"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "name_en"]
    raw_id_fields = ["leader"]
    inlines = [MembershipInline]


class ActivityInline(admin.TabularInline):
    model = PlannedActivity
    extra = 0


@admin.register(StudioPlan)
class StudioPlanAdmin(admin.ModelAdmin):
    list_display = ["studio", "year"]
    inlines = [ActivityInline]
