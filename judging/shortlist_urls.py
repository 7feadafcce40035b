"""The shortlist phase's pages (hearings, presentations, the committee's analysis,
the jury report's sign-off). Every view is wrapped in ``accounts.access.access``."""

from django.urls import path

from .views import shortlist

app_name = "shortlist"
urlpatterns = [
    path("entries/<int:pk>/hearing/", shortlist.hearing_city, name="hearing_city"),
    path(
        "slots/<int:pk>/presentation/",
        shortlist.hearing_presentation,
        name="hearing_presentation",
    ),
    path("cycle/<int:cycle_number>/hearings/", shortlist.hearings_jury, name="hearings_jury"),
    path(
        "cycle/<int:cycle_number>/analysis/",
        shortlist.shortlist_report,
        name="shortlist_report",
    ),
    path("cycle/<int:cycle_number>/jury-report/", shortlist.jury_report, name="jury_report"),
]
