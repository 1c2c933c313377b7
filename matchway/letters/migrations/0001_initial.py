
import django.db.models.deletion
import matchway.letters.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('documents', '0001_initial'),
        ('rotations', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='LetterRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('writer_name', models.CharField(max_length=150, verbose_name="writer's name")),
                ('writer_email', models.EmailField(max_length=254, verbose_name="writer's email")),
                ('writer_title', models.CharField(blank=True, help_text="ERAS asks for the author's title and department, e.g. “MD, Internal Medicine”.", max_length=200, verbose_name="writer's title and department")),
                ('specialty_code', models.CharField(default='general', max_length=10, verbose_name='specialty')),
                ('kind', models.CharField(choices=[('narrative', 'Narrative letter (PDF)'), ('standardized', 'Standardized letter (written in ERAS / ResidencyCAS)')], default='narrative', max_length=20, verbose_name='letter kind')),
                ('waived', models.BooleanField(default=True, verbose_name='I waive my right to see this letter')),
                ('route_to_coordinators', models.BooleanField(default=False, verbose_name="share the letter with the rotation provider's coordinators")),
                ('eras_letter_id', models.CharField(blank=True, max_length=64, verbose_name='ERAS Letter ID')),
                ('due_date', models.DateField(verbose_name='due date')),
                ('message', models.TextField(blank=True, max_length=5000, verbose_name='message to the writer')),
                ('brag_notes', models.TextField(blank=True, verbose_name='anything else the writer should know')),
                ('brag_sheet', models.JSONField(blank=True, default=dict)),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('requested', 'Requested'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('uploaded', 'Uploaded'), ('withdrawn', 'Withdrawn'), ('expired', 'Expired')], db_index=True, default='draft', max_length=20)),
                ('remind_applicant_on', models.DateField(blank=True, null=True, verbose_name='remind me to ask on')),
                ('requested_at', models.DateTimeField(blank=True, null=True)),
                ('accepted_at', models.DateTimeField(blank=True, null=True)),
                ('declined_at', models.DateTimeField(blank=True, null=True)),
                ('decline_note', models.TextField(blank=True, max_length=2000)),
                ('uploaded_at', models.DateTimeField(blank=True, null=True)),
                ('finalized_at', models.DateTimeField(blank=True, null=True)),
                ('eras_uploaded_at', models.DateTimeField(blank=True, null=True)),
                ('withdrawn_at', models.DateTimeField(blank=True, null=True)),
                ('withdraw_reason', models.TextField(blank=True, max_length=2000)),
                ('expired_at', models.DateTimeField(blank=True, null=True)),
                ('last_nudged_at', models.DateTimeField(blank=True, null=True)),
                ('writer_link_expires_at', models.DateTimeField(blank=True, null=True)),
                ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='letter_requests', to=settings.AUTH_USER_MODEL)),
                ('application', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='letter_requests', to='rotations.application')),
                ('attachments', models.ManyToManyField(blank=True, related_name='+', to='documents.document', verbose_name='attachments')),
                ('writer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='letter_requests_to_write', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='LetterReminder',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('writer_before', 'Writer reminder before the due date'), ('writer_after', 'Writer reminder after the due date'), ('applicant_ask', 'Applicant reminder: time to ask')], max_length=20)),
                ('offset_days', models.SmallIntegerField(default=0)),
                ('sent_at', models.DateTimeField(auto_now_add=True)),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='letters.letterrequest')),
            ],
            options={
                'ordering': ['sent_at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Letter',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('file', models.FileField(blank=True, max_length=200, storage=matchway.letters.models._private_storage, upload_to=matchway.letters.models.letter_upload_to)),
                ('original_name', models.CharField(blank=True, max_length=200)),
                ('content_type', models.CharField(blank=True, max_length=100)),
                ('sha256', models.CharField(blank=True, max_length=64)),
                ('size', models.PositiveIntegerField(blank=True, null=True)),
                ('pages', models.PositiveIntegerField(blank=True, null=True)),
                ('uploaded_at', models.DateTimeField()),
                ('version', models.PositiveSmallIntegerField(default=1)),
                ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('request', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='letter', to='letters.letterrequest')),
            ],
        ),
        migrations.CreateModel(
            name='LetterAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('program_label', models.CharField(max_length=200, verbose_name='program')),
                ('program_key', models.CharField(max_length=200)),
                ('slot', models.PositiveSmallIntegerField()),
                ('applicant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('letter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='letters.letter')),
            ],
            options={
                'ordering': ['program_key', 'slot'],
                'constraints': [models.CheckConstraint(condition=models.Q(('slot__gte', 1), ('slot__lte', 4)), name='letter_assignment_slot_range'), models.UniqueConstraint(fields=('applicant', 'program_key', 'slot'), name='letter_assignment_unique_slot'), models.UniqueConstraint(fields=('letter', 'program_key'), name='letter_assignment_once_per_program')],
            },
        ),
        migrations.AddIndex(
            model_name='letterrequest',
            index=models.Index(fields=['applicant', 'status'], name='letters_let_applica_194194_idx'),
        ),
        migrations.AddIndex(
            model_name='letterrequest',
            index=models.Index(fields=['writer', 'status'], name='letters_let_writer__fab075_idx'),
        ),
        migrations.AddIndex(
            model_name='letterrequest',
            index=models.Index(fields=['status', 'due_date'], name='letters_let_status_0de7d3_idx'),
        ),
        migrations.AddConstraint(
            model_name='letterrequest',
            constraint=models.CheckConstraint(condition=models.Q(('writer_email', ''), _negated=True), name='letter_request_has_writer_email'),
        ),
        migrations.AddConstraint(
            model_name='letterrequest',
            constraint=models.CheckConstraint(condition=models.Q(('finalized_at__isnull', True), ('status__in', ['uploaded', 'withdrawn']), _connector='OR'), name='letter_request_final_only_when_uploaded'),
        ),
        migrations.AddConstraint(
            model_name='letterrequest',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['narrative', 'standardized'])), name='letter_request_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='letterrequest',
            constraint=models.UniqueConstraint(condition=models.Q(models.Q(('eras_letter_id', ''), _negated=True), models.Q(('status__in', ['declined', 'withdrawn', 'expired']), _negated=True)), fields=('applicant', 'eras_letter_id'), name='letter_request_unique_live_letter_id'),
        ),
        migrations.AddConstraint(
            model_name='letterreminder',
            constraint=models.UniqueConstraint(fields=('request', 'kind', 'offset_days'), name='letter_reminder_once'),
        ),
        migrations.AddConstraint(
            model_name='letter',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('file', ''), ('sha256', ''), ('size__isnull', True), ('pages__isnull', True)), models.Q(models.Q(('file', ''), _negated=True), models.Q(('sha256', ''), _negated=True), ('size__isnull', False), ('pages__isnull', False)), _connector='OR'), name='letter_file_fields_together'),
        ),
    ]
