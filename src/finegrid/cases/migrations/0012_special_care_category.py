"""The category of the red case an unanswered emergency call opens (care/). Added only if missing,
so a street that made its own keeps it."""

from django.db import migrations

H = 60


def add(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    if Category.objects.filter(code="special_care").exists():
        return
    last = Category.objects.order_by("-sort").values_list("sort", flat=True).first() or 0
    Category.objects.create(
        code="special_care",
        name="特殊人群关爱",
        name_en="Care of vulnerable people",
        default_track="now",
        safety_critical=True,
        accept_minutes=15,
        resolve_minutes_now=4 * H,
        resolve_minutes_coordinate=12 * H,
        resolve_minutes_follow_up=24 * H,
        sort=last + 1,
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_fill_english_labels")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
