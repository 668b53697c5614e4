import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string

from muhim.accounts.models import Role


class Command(BaseCommand):
    help = (
        "Create the administrator account if it does not exist, and print how to sign in. "
        "The password comes from MUHIM_ADMIN_PASSWORD or is generated once and kept in "
        "var/admin-password (readable only by you). An existing account is never changed.\n\n"
        "Example: manage.py ensure_admin --username admin"
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("MUHIM_ADMIN_USERNAME", "admin"))
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        password_file = settings.VAR_DIR / "admin-password"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = os.environ.get("MUHIM_ADMIN_PASSWORD") or get_random_string(16)
            settings.VAR_DIR.mkdir(exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            User.objects.create_superuser(
                username=username, email="", password=password, role=Role.ADMINISTRATOR
            )
            self.stdout.write(self.style.SUCCESS(f"Created the administrator account {username!r}."))
        if password_file.exists():
            shown = password_file.read_text().strip()
            where = f"{shown}   (kept in {password_file}; unless you have changed it since)"
        else:
            where = "the password you chose (MUHIM_ADMIN_PASSWORD)"
        self.stdout.write(
            f"\n  Sign in at {url}/accounts/login/\n  username: {username}\n  password: {where}\n"
        )
