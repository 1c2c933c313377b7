"""A confidential part of each evaluation, for the program only.

`recommend_for_residency` (yes / yes with reservations / no, shown to the applicant) becomes
`recommendation` with four honest choices, confidential; `confidential_comments` is new.
Existing answers map: yes → recommend, yes with reservations → recommend with reservations,
no → do not recommend (nothing is upgraded to "strongly"). Reversing maps back.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

FORWARD = {
    "yes": "recommend",
    "yes_with_reservations": "recommend_with_reservations",
    "no": "do_not_recommend",
}
BACKWARD = {
    "strongly_recommend": "yes",
    "recommend": "yes",
    "recommend_with_reservations": "yes_with_reservations",
    "do_not_recommend": "no",
}


def _remap(mapping: dict[str, str]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        Evaluation = apps.get_model("experience", "Evaluation")
        for old, new in mapping.items():
            Evaluation.objects.filter(recommendation=old).update(recommendation=new)

    return run


class Migration(migrations.Migration):
    dependencies = [("experience", "0003_clear_drafts_with_phi")]

    operations = [
        migrations.RenameField(
            model_name="evaluation", old_name="recommend_for_residency", new_name="recommendation"
        ),
        migrations.AlterField(
            model_name="evaluation",
            name="recommendation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("strongly_recommend", "Strongly recommend"),
                    ("recommend", "Recommend"),
                    ("recommend_with_reservations", "Recommend with reservations"),
                    ("do_not_recommend", "Do not recommend"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(_remap(FORWARD), _remap(BACKWARD)),
        migrations.AddField(
            model_name="evaluation",
            name="confidential_comments",
            field=models.TextField(blank=True),
        ),
    ]
