"""Django admin for people, regions, schools, profiles and regional administrators (staff only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import DataExport, ErasureRequest, Profile, Region, RegionalAdministrator, School, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_staff", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["display_name", "first_name", "last_name", "preferred_language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "sort_order"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "stage", "school_type"]
    list_filter = ["region", "stage", "school_type"]
    search_fields = ["name", "name_en"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "school", "title"]
    list_select_related = ["user", "region", "school"]
    raw_id_fields = ["user", "school"]


@admin.register(RegionalAdministrator)
class RegionalAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "created_at"]
    list_select_related = ["user", "region"]
    raw_id_fields = ["user"]


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    """Where a platform administrator confirms a person's request to erase their personal data."""

    list_display = ["user", "status", "requested_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    readonly_fields = ["user", "status", "reason", "requested_at", "decided_at", "decided_by"]
    actions = ["confirm_erasure"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Confirm erasure of the selected people's personal data"))
    def confirm_erasure(self, request, queryset):
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied, ValidationError

        from .data_rights import erasure_confirm

        erased = 0
        for erasure in queryset.select_related("user"):
            try:
                erasure_confirm(acting_user=request.user, request=erasure)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [])) or _("Only a platform administrator can confirm.")
                self.message_user(request, f"{erasure.user}: {text}", messages.ERROR)
            else:
                erased += 1
        if erased:
            self.message_user(request, _("%(count)s people's personal data erased.") % {"count": erased})


@admin.register(DataExport)
class DataExportAdmin(admin.ModelAdmin):
    list_display = ["user", "status", "progress", "created_at", "expires_at"]
    list_filter = ["status"]
    readonly_fields = ["user", "status", "progress", "created_at", "finished_at", "expires_at"]
    exclude = ["archive"]  # the archive is the person's own; staff see that one was made, not what is in it

    def has_add_permission(self, request):
        return False
