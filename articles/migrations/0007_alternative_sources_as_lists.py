"""A check's ``alternative`` names its edition(s) as lists (``source_code``, ``source_title``)
where it held them ``"; "``-joined: rewrite the checks stored that way.

The history tables do not hold the checks (``CHECK_HISTORY_EXCLUDED``), so only the claims'
own rows change. Reversible: the lists are joined again.
"""

from django.db import migrations

CLAIM_MODELS = ("ReportedFigure", "AggregateClaim", "TargetList")
CHECK_FIELDS = ("check_as_published", "check_latest")
FIELDS = ("source_code", "source_title")


def _as_lists(value):
    return [part for part in value.split("; ") if part] if isinstance(value, str) else value


def _joined(value):
    return "; ".join(value) if isinstance(value, list) else value


def _rewrite(apps, convert):
    for name in CLAIM_MODELS:
        model = apps.get_model("articles", name)
        changed = []
        rows = model.objects.only("pk", *CHECK_FIELDS).order_by("pk")
        for row in rows.iterator(chunk_size=500):
            touched = False
            for field in CHECK_FIELDS:
                alternative = (getattr(row, field) or {}).get("alternative")
                if not isinstance(alternative, dict):
                    continue
                for key in FIELDS:
                    if key in alternative:
                        new = convert(alternative[key])
                        touched |= new != alternative[key]
                        alternative[key] = new
            if touched:
                changed.append(row)
        model.objects.bulk_update(changed, CHECK_FIELDS, batch_size=500)


def forwards(apps, schema_editor):
    _rewrite(apps, _as_lists)


def backwards(apps, schema_editor):
    _rewrite(apps, _joined)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_statement_search_document"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
