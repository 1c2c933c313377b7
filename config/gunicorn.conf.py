"""Gunicorn settings for production: `gunicorn -c config/gunicorn.conf.py config.wsgi`.

Only what the app needs from gunicorn itself; workers, binding and the access log stay
command-line or GUNICORN_CMD_ARGS choices. The logger class masks secret-link tokens in
gunicorn's access and error logs (docs/dev/tokens.md), whichever of them is enabled.
"""

logger_class = "matchway.core.gunicorn.MaskingGunicornLogger"
