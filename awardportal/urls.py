from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.access import public
from submissions.views.home import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    # The translated messages of static/js (djangojs catalogues), as a static script.
    path("jsi18n/", public(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("submissions.urls")),
    path("", include("submissions.public_urls")),
    path("console/", include("submissions.console_urls")),
    path("judging/", include("judging.urls")),
    path("vote/", include("judging.vote_urls")),
    path("admin/", admin.site.urls),
]
