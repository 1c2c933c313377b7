"""Tasks used only by tests (module-level so the database worker can import them)."""

from django_tasks import task

ran: list[str] = []


@task
def record_task(value: str) -> None:
    ran.append(value)


@task
def record_db_task(vendor: str) -> str:
    return f"done on {vendor}"
