"""Django admin for people, regions, schools, profiles and regional administrators (staff only)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Profile, Region, RegionalAdministrator, School, User


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
