"""English labels for the seeded data: better names for three categories (only where nobody has
edited them since), English names of the official holidays, and the taxonomy's generation row.

The names are written out here rather than read from ``taxonomy.py`` so that this migration keeps
doing what it did when later seeds change.
"""

from django.db import migrations

# code → (English name as first seeded, English name now)
RENAMED = {
    "gas": ("Gas", "Gas safety"),
    "dispute": ("Dispute", "Disputes"),
    "livelihood": ("Livelihood need", "Everyday needs"),
}
HOLIDAYS = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}
WORKDAY = "调休上班"


def _holiday_en(name):
    workday = name.endswith(WORKDAY)
    base = name.removesuffix(WORKDAY)
    parts = [HOLIDAYS.get(part.strip(), "") for part in base.split("、")]
    if not base or not all(parts):
        return ""
    joined = " and ".join(parts)
    return "Working day in lieu (" + joined + ")" if workday else joined


def forwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    Holiday = apps.get_model("cases", "Holiday")
    TaxonomyState = apps.get_model("cases", "TaxonomyState")
    for code, (old, new) in RENAMED.items():
        Category.objects.filter(code=code, name_en=old).update(name_en=new)
    for holiday in Holiday.objects.filter(name_en=""):
        english = _holiday_en(holiday.name)
        if english:
            holiday.name_en = english
            holiday.save(update_fields=["name_en"])
    TaxonomyState.objects.get_or_create(pk=1, defaults={"generation": 0})


def backwards(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for code, (old, new) in RENAMED.items():
        Category.objects.filter(code=code, name_en=new).update(name_en=old)
    # holiday name_en and the state row go with their columns and table


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_taxonomy_pages_and_english_labels")]

    operations = [migrations.RunPython(forwards, backwards)]
