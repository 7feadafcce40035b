"""The public vote "City of Your Choice". Every view is public."""

from django.urls import path

from judging.views import vote as views

app_name = "vote"
urlpatterns = [
    path("", views.index, name="index"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
]
