"""Two-factor sign-in for the demo's privileged accounts.

The portal requires a second factor of Secretariat, Technical Committee, jury and
admin accounts; the demo gives theirs one fixed TOTP secret, so anyone trying the
demo can sign in: add the secret to an authenticator app, or print the current code
with ``python manage.py demo_totp <email>``.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from accounts import roles
from accounts.models import User

DEMO_DOMAIN = "demo.gzaward.org"
# Public on purpose (README, `make run`): it protects nothing but demo data.
DEMO_TOTP_SECRET = "GZAWARDDEMOTOTPSECRETGZAWARDDEMO"


def demo_second_factors(stdout) -> None:
    """Give every privileged demo account the demo TOTP secret (once) and print how
    to sign in with it."""
    for user in User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").prefetch_related("groups"):
        if not roles.is_privileged(user):
            continue
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    stdout.write(
        f"  Two-factor code for the staff, committee and jury logins: TOTP secret {DEMO_TOTP_SECRET}"
    )
    stdout.write("    (add it to an authenticator app, or run: python manage.py demo_totp EMAIL)")
    stdout.write("")
