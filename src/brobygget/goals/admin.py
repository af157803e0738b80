"""The goals' settings in the admin: the municipality's roll-up rule (goals.rollup)."""

from django.contrib import admin

from brobygget.goals.models import RollupRule


@admin.register(RollupRule)
class RollupRuleAdmin(admin.ModelAdmin):
    list_display = ["municipality", "rule", "red_share", "yellow_share"]
