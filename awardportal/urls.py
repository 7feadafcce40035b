from django.contrib import admin
from django.urls import include, path

from submissions.views.home import healthz, home

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    path("", include("submissions.urls")),
    path("", include("submissions.public_urls")),
    path("console/", include("console.urls")),
    path("judging/", include("judging.urls")),
    path("shortlist/", include("judging.shortlist_urls")),
    path("vote/", include("judging.vote_urls")),
    path("admin/", admin.site.urls),
]
