"""Mark the identity document types already loaded (the reference CSV now has the column;
`load_reference_data` keeps them in sync from here on)."""

from django.db import migrations

IDENTITY_CODES = ("passport", "visa_or_i94")


def mark_identity(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(code__in=IDENTITY_CODES).update(is_identity=True)


def unmark_identity(apps, schema_editor):  # type: ignore[no-untyped-def]
    DocumentType = apps.get_model("documents", "DocumentType")
    DocumentType.objects.filter(code__in=IDENTITY_CODES).update(is_identity=False)


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_retention")]

    operations = [migrations.RunPython(mark_identity, unmark_identity)]
