"""The "Editors" group with exactly the permissions the editors' work needs.

Editors read everything the editor pages show (articles, statements, speakers, links, claims,
the official figures and targets, and the history of what editors change); they change
statements (speaker, allies and targets, review status), add and change speakers and their
aliases, add and remove links, and change claims (the editor's verdict). No delete permission
except on links, whose history keeps every removed link so that it can be restored.
See docs/editors.md. Re-running the migration resets the group to this list.
"""

from django.db import migrations

EDITORS = "Editors"

PERMISSIONS = {
    "articles": [
        "view_article",
        "view_statement",
        "change_statement",
        "view_speaker",
        "add_speaker",
        "change_speaker",
        "view_speakeralias",
        "add_speakeralias",
        "change_speakeralias",
        "view_statementlink",
        "add_statementlink",
        "delete_statementlink",
        "view_reportedfigure",
        "change_reportedfigure",
        "view_aggregateclaim",
        "change_aggregateclaim",
        "view_targetlist",
        "change_targetlist",
        "view_historicalstatement",
        "view_historicalspeaker",
        "view_historicalstatementlink",
        "view_historicalreportedfigure",
        "view_historicalaggregateclaim",
        "view_historicaltargetlist",
    ],
    "spending": [
        "view_memberstate",
        "view_target",
        "view_source",
        "view_spendingfigure",
    ],
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS)
    wanted = []
    for app_label, codenames in PERMISSIONS.items():
        found = list(
            Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
        missing = set(codenames) - {p.codename for p in found}
        if missing:
            raise RuntimeError(f"Permissions not found: {sorted(missing)}")
        wanted += found
    group.permissions.set(wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("spending", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
