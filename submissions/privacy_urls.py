"""Privacy: the notice, a city's data download, closing one's account."""

from django.urls import path

from submissions.views import privacy

app_name = "privacy"
urlpatterns = [
    path("privacy/", privacy.privacy_notice, name="notice"),
    path("my/city/data.json", privacy.city_data_export, name="city_data"),
    path("account/close/", privacy.account_close, name="account_close"),
]
