"""Two-factor sign-in (django-allauth's ``allauth.mfa``): TOTP with recovery codes,
and WebAuthn security keys / passkeys.

Anybody may add a second factor; privileged accounts (``roles.is_privileged``) must
have one: ``RequireSecondFactorMiddleware`` sends them to set it up before any
other page, and the adapter below refuses to remove their last one.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator

from accounts import roles

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def user_has_second_factor(user) -> bool:
    """True when ``user`` has a TOTP app or a security key (recovery codes alone are
    not a factor: they only back one up)."""
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).exists()


class PortalMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A privileged user may not remove their last second factor."""
        user = authenticator.user
        if authenticator.type not in SECOND_FACTORS or not roles.is_privileged(user):
            return True
        others = (
            Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS)
            .exclude(pk=authenticator.pk)
            .exists()
        )
        return others
