"""HTML and htmx views for the rotation experience (journal, attendance, evaluations,
certificates, ERAS drafts). Thin: parse → selector or service → render."""
