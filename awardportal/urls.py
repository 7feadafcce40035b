from django.contrib import admin
from django.urls import include, path

from submissions.views.home import healthz, home
from submissions.views.public import sitemap

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
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
