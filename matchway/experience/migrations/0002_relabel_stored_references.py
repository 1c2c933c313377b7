"""Rewrite what the database stores about the moved models' old home.

- `django_content_type`: the seven content types move from app label `rotations` to
  `experience`, keeping their ids (permissions and admin log entries point at them).
- `core.AuditEvent.target_type` and `core.OneTimeToken.target_type` store
  `<app_label>.<model>`: `rotations.certificate` becomes `experience.certificate` (evaluator
  links and audit history keep working).
- Queued background tasks (django-tasks database backend) store the task's import path:
  `matchway.rotations.tasks.*` becomes `matchway.experience.tasks.*`.

Reversible: running it backwards restores the old labels.
"""

from typing import Any

from django.db import migrations

MODELS = (
    "attendancerecord",
    "certificate",
    "erasexperiencedraft",
    "erasexperiencedraftversion",
    "evaluation",
    "journalcomment",
    "journalentry",
)
OLD_TASKS = "matchway.rotations.tasks."
NEW_TASKS = "matchway.experience.tasks."


def _relabel(apps: Any, old: str, new: str, old_tasks: str, new_tasks: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A content type already created under the new label (post_migrate of an earlier,
        # partial run) would clash with the renamed one: the old row keeps its id, so drop
        # the new one (and its default permissions) first.
        ContentType.objects.filter(app_label=new, model=model).delete()
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
    for model_name in ("AuditEvent", "OneTimeToken"):
        Model = apps.get_model("core", model_name)
        for model in MODELS:
            Model.objects.filter(target_type=f"{old}.{model}").update(
                target_type=f"{new}.{model}"
            )
    try:
        Task = apps.get_model("django_tasks_database", "DBTaskResult")
    except LookupError:  # the database task backend is not installed here
        return
    for task in Task.objects.filter(task_path__startswith=old_tasks).only("pk", "task_path"):
        task.task_path = new_tasks + task.task_path[len(old_tasks) :]
        task.save(update_fields=["task_path"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "rotations", "experience", OLD_TASKS, NEW_TASKS)


def backwards(apps: Any, schema_editor: Any) -> None:
    _relabel(apps, "experience", "rotations", NEW_TASKS, OLD_TASKS)


class Migration(migrations.Migration):
    dependencies = [
        ("experience", "0001_initial"),
        ("rotations", "0004_move_experience_out"),
        ("core", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
