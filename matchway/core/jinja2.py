"""The Jinja2 environment for the few hottest templates (docs/dev/caching.md).

Django templates stay the default everywhere. A page that renders hundreds of values per
request on its uncached path (the public catalog) uses a Jinja2 template under
matchway/jinja2/ instead: Jinja2 compiles each template to Python once, so a variable
costs a dictionary or attribute lookup rather than a trip through Django's resolver.
The same translation catalogue (Django's gettext) and URL names are used.
"""

from __future__ import annotations

from typing import Any

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options: Any) -> Environment:
    options.setdefault("extensions", [])
    options["extensions"] = [*options["extensions"], "jinja2.ext.i18n"]
    env = Environment(**options)  # noqa: S701 - the backend turns autoescape on
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update({"url": url, "static": static})
    return env
