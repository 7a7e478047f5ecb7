import contextlib
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the web server and a Celery worker (with beat) side by side until interrupted. This process "
        "owns the database and Redis servers (embedded ones when DATABASE_URL/REDIS_URL are unset) and "
        "hands the same URLs to both children, so they share one of each."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, port, **options):
        env = {**os.environ, "DATABASE_URL": settings.DATABASE_URL, "REDIS_URL": settings.REDIS_URL}
        schedule = str(settings.BASE_DIR / ".data" / "celerybeat-schedule")
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "1",
                    "--schedule",
                    schedule,
                ],
                env=env,
            ),
            subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"], env=env),
        ]
        self.stdout.write(
            f"Open http://127.0.0.1:{port}/ and sign in with one of the demo logins above, then the code from the "
            "demo authenticator secret (or `.venv/bin/python manage.py demo_code`). Ctrl-C stops."
        )
        try:
            while all(child.poll() is None for child in children):
                with contextlib.suppress(subprocess.TimeoutExpired):
                    children[0].wait(timeout=1)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
