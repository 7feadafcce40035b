from django.contrib import admin
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

from accounts.access import public
from submissions.views.home import healthz, home
from submissions.views.public import sitemap

# The catalogues change only with a deployment (a new process).
STARTED_AT = timezone.now()

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The translated messages of static/js (djangojs catalogues), as a static script.
    # Browsers revalidate it (304 until the next deployment); base.html adds the page's
    # language to its URL, so a language switch never reuses another language's copy.
    path(
        "jsi18n/",
        public(last_modified(lambda request: STARTED_AT)(JavaScriptCatalog.as_view())),
        name="javascript-catalog",
    ),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("submissions.urls")),
    path("", include("submissions.public_urls")),
    path("console/", include("console.urls")),
    path("", include("submissions.privacy_urls")),
    path("judging/", include("judging.urls")),
    path("shortlist/", include("judging.shortlist_urls")),
    path("vote/", include("judging.vote_urls")),
    path("emails/", include("submissions.email_urls")),
    path("admin/", admin.site.urls),
]
