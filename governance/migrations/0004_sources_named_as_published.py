"""The Oxfordshire example loaded before this named its sources by their file numbers ("Seed 003: ...").
They are renamed as the papers were published, in the rows and in their history."""

from django.db import migrations

RENAMED = {
    "Seed 000: terms of reference of the SEND Task and Finish Group, 2023": (
        "SEND Improvement Task and Finish Group, terms of reference, People Overview and Scrutiny Committee, 2023"
    ),
    "Seed 001: report of the Joint Health Overview and Scrutiny Committee to Cabinet, 17 October 2023": (
        "Local Area Partnership SEND Report 2023, Joint Health Overview and Scrutiny Committee to Cabinet, "
        "17 October 2023"
    ),
    "Seed 002: report to the Education and Young People Overview and Scrutiny Committee, 20 May 2024": (
        "Update on the SEND Priority Action Plan, report to the Education and Young People Overview and Scrutiny "
        "Committee, 20 May 2024"
    ),
    "Seed 003: report to the Health and Wellbeing Board with the Written Statement of Action, 8 March 2018": (
        "Joint Local Area Inspection of SEND: Written Statement of Action, report to the Health and Wellbeing Board, "
        "8 March 2018"
    ),
    "(Seed 004 says the plan was signed off in January 2024.)": (
        "(The council's response to the Education and Young People Overview and Scrutiny Committee, 2024, says the "
        "plan was signed off in January 2024.)"
    ),
    "Six councillors reviewing SEND services for scrutiny (seed 000).": (
        "Six councillors reviewing SEND services for the People Overview and Scrutiny Committee, from 2023."
    ),
    "From the 2018 Written Statement of Action report (seed 003); demo scores": (
        "From the Written Statement of Action report to the Health and Wellbeing Board, March 2018; demo scores"
    ),
}

FIELDS = {
    "Meeting": ["source"],
    "InspectionEvent": ["source", "follow_up"],
    "Risk": ["source"],
    "Board": ["description"],
}


def renamed(text):
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    return text


def name_sources_as_published(apps, schema_editor):
    for model_name, fields in FIELDS.items():
        for name in (model_name, f"Historical{model_name}"):
            model = apps.get_model("governance", name)
            columns = fields + (["history_change_reason"] if name.startswith("Historical") else [])
            for row in model.objects.all().only("pk", *columns).iterator():
                changed = [c for c in columns if getattr(row, c) and renamed(getattr(row, c)) != getattr(row, c)]
                for column in changed:
                    setattr(row, column, renamed(getattr(row, column)))
                if changed:
                    model.objects.filter(pk=row.pk).update(**{c: getattr(row, c) for c in changed})


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_history_reason_text_and_actor"),
    ]

    operations = [
        migrations.RunPython(name_sources_as_published, migrations.RunPython.noop),
    ]
