"""What keeps personal data out of logs and error reports (issue 6).

Survivors' names, contact details and notes travel in POST bodies, sometimes in a query string (the
caseload's name search) and, when the database refuses a row, in its error message ("DETAIL: Failing
row contains (...)"). Logs and error e-mails leave the database's protection, so none of these may
reach them: the logging filters below are on every handler (config/settings/security.py), and the
exception reporter used for error e-mails and the debug page hides them too.
"""

import logging
import re

from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

HIDDEN = "[hidden]"

# A PostgreSQL error's DETAIL (and HINT) lines quote the values of the row it refused.
_DATABASE_DETAIL = re.compile(r"^(\s*(?:DETAIL|HINT):).*$", re.MULTILINE)
# "GET /cases/?name=Ana HTTP/1.1": everything from the "?" to the next space.
_QUERY_STRING = re.compile(r"\?[^\s\"]+")


def without_database_detail(text: str) -> str:
    return _DATABASE_DETAIL.sub(rf"\1 {HIDDEN}", text)


def without_query_string(text: str) -> str:
    return _QUERY_STRING.sub(f"?{HIDDEN}", text)


class StripQueryStrings(logging.Filter):
    """Request lines ('"GET /cases/?name=… HTTP/1.1" 200 512', django.server) keep the path, not the query."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(without_query_string(a) if isinstance(a, str) else a for a in record.args)
        return True


class HideDatabaseDetail(logging.Filter):
    """A logged exception keeps its traceback, but not the row values a database error quotes."""

    def filter(self, record):
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = without_database_detail(record.exc_text)
        if isinstance(record.msg, str):
            record.msg = without_database_detail(record.msg)
        return True


class NoPersonalDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports without POST bodies, query strings, local variables or secrets, DEBUG or not.

    Every POST field is hidden, not only those marked with `sensitive_post_parameters`: nearly every
    form here is about a survivor. Settings naming a key, secret, password or a server's URL (which
    may carry its password) are hidden.
    """

    cleansed_substitute = HIDDEN
    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|REDIS|BROKER|RESULT_BACKEND|DSN|_URL$",
        flags=re.I,
    )
    hidden_meta = {"QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI", "HTTP_COOKIE"}

    def is_active(self, request):
        return True  # also with DEBUG: a development server can hold real data too

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        return dict.fromkeys(multivaluedict, self.cleansed_substitute)

    def get_safe_request_meta(self, request):
        meta = super().get_safe_request_meta(request)
        return {k: self.cleansed_substitute if k in self.hidden_meta else v for k, v in meta.items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class NoPersonalDataExceptionReporter(ExceptionReporter):
    """Django's reporter, with the query string's values and database errors' row values hidden."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(name, HIDDEN) for name in self.request.GET]
            data["request_FILES_items"] = [(name, HIDDEN) for name in self.request.FILES]
            data["request_insecure_uri"] = without_query_string(data["request_insecure_uri"])
        for key in ("exception_value", "exception_notes"):
            if data.get(key):
                data[key] = without_database_detail(str(data[key]))
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = without_database_detail(str(frame["exc_cause"]))
        return data
