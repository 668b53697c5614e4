"""Demo staff accounts, one per role, so that every part of Muhim can be tried. They share one
password, generated on first load and kept in var/demo-password."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.crypto import get_random_string

from muhim.geography.models import Area

from .models import Role

DEMO_USERS = [
    # username, first name, last name, role, region codes
    ("office", "Sana", "Office (demo)", Role.CAMPAIGN_OFFICE, []),
    ("organiser-lahore", "Ayesha", "Organiser (demo)", Role.ORGANISER, ["pb-lahore-division"]),
    ("organiser-karachi", "Bilal", "Organiser (demo)", Role.ORGANISER, ["sd-karachi-division"]),
    ("specialist", "Hina", "Data specialist (demo)", Role.SPECIALIST, []),
    ("partner", "Imran", "Partner (demo)", Role.PARTNER, []),
]


def demo_password():
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_string(12) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


def load(*, stdout):
    User = get_user_model()
    password = demo_password()
    for username, first, last, role, region_codes in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, role=role)
            user.set_password(password)
            user.save()
            stdout.write(f"  created demo account {username} ({role.label})")
        # Also on a later run: the regions exist only once the gazetteer has been loaded.
        if region_codes and not user.regions.exists():
            user.regions.set(Area.objects.filter(code__in=region_codes))
    stdout.write(
        f"  Demo accounts ({', '.join(u[0] for u in DEMO_USERS)}) share the password {password} "
        f"(kept in {settings.VAR_DIR / 'demo-password'})."
    )
