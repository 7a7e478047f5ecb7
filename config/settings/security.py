"""Security headers, Content-Security-Policy and logging (issue 6).

In every environment; what needs HTTPS (HSTS, secure cookies, the redirect) is in config/django/production.py.
"""

from csp.constants import NONE, SELF

SECURITY_APPS: list[str] = ["csp"]
# django-csp's header on every response, error pages included.
SECURITY_MIDDLEWARE_FIRST: list[str] = ["csp.middleware.CSPMiddleware"]
# After authentication: it asks whether someone is signed in.
SECURITY_MIDDLEWARE_LAST: list[str] = ["config.middleware.NoStoreWhenSignedInMiddleware"]

# Scripts and styles only from our own static files: no inline <script>, no style="" or on…="" attributes
# in any template (tests/test_security_headers.py reads them all), and htmx told not to add its own
# <style> (the htmx-config meta in templates/base.html; its indicator rules are in static/css/app.css).
# data: images for QR codes drawn in the page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Django's own headers, written out so that nobody has to remember the defaults.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # a case page's URL never leaves the site in a Referer
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_HTTPONLY = True
# htmx sends the token from the page (hx-headers in templates/base.html), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True

# Error reports (e-mail to ADMINS, the debug page) without POST bodies, query strings, local
# variables, database error details or secrets: config/redaction.py.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.redaction.NoPersonalDataReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "config.redaction.NoPersonalDataExceptionReporter"

# Everything to standard error (the platform keeps it), errors also by e-mail to ADMINS when set.
# Messages name ids and case references only; the filters catch what code does not choose to log:
# query strings of request lines and the row values in database errors.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "no_database_detail": {"()": "config.redaction.HideDatabaseDetail"},
        "no_query_strings": {"()": "config.redaction.StripQueryStrings"},
    },
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
        "request_line": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["no_database_detail"]},
        "request_lines": {
            "class": "logging.StreamHandler",
            "formatter": "request_line",
            "filters": ["no_query_strings", "no_database_detail"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "include_html": False,
            "filters": ["require_debug_false", "no_database_detail"],
        },
    },
    # Our apps, Django and Celery at INFO; other libraries only when something is wrong.
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        **{
            app: {"level": "INFO"}
            for app in ["navigators", "survivors", "casework", "reporting", "seeds", "config", "celery"]
        },
        "django": {"handlers": ["mail_admins"], "level": "INFO"},  # and to the console through root
        "django.server": {"handlers": ["request_lines"], "level": "INFO", "propagate": False},
        # SQL is logged with its parameters, which are survivors' details: never, even with DEBUG.
        "django.db.backends": {"level": "WARNING"},
        # Its DEBUG lines ("Exception while resolving variable") carry the repr of the whole template context.
        "django.template": {"level": "INFO"},
    },
}
