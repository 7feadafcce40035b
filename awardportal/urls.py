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
    path("", include("submissions.privacy_urls")),
    path("console/", include("submissions.console_urls")),
    path("judging/", include("judging.urls")),
    path("vote/", include("judging.vote_urls")),
    path("admin/", admin.site.urls),
]
