"""Letters: every write, one module per sub-domain. Views, the API, periodic jobs and the
demo import the module they need (`services.compose`, `services.requests`, …).

Contracts common to all services here:
- Call them outside a transaction or inside one; each opens its own `transaction.atomic()`
  and locks the request row with `lock_for_update` before re-checking its state, so two
  clicks (or a writer and a periodic job) cannot both act on a stale state.
- Emails are rendered now and sent after commit (`core.email.email_send`); nothing is sent
  for a rolled-back change.
- Every change writes an audit event. Audit data never carries a letter's file name, size,
  page count or hash (coordinators read the audit log; see the confidentiality doc).
- An acting writer is a `User` (preceptor account) or a `TokenViewer` (secret link).
- Dates: due dates, reminders and expiry compare against `clock.provider_today()` (the
  provider's zone, ``settings.TIME_ZONE``); timestamps are `clock.now()`.

Modules: `common` (helpers shared by the others, not called from outside the package),
`compose` (create and edit requests), `requests` (the applicant's actions on a sent
request), `writer` (the writer's actions), `assignments` (letters per program) and
`reminders` (periodic jobs).
"""
