"""import_initiatives writes a whole file or nothing, even when writing fails halfway."""

import pytest
from django.db import IntegrityError

from submissions.models import Cycle, Organisation, StatusChange, Submission
from submissions.services.importing import initiatives_import
from tests import factories

ROWS = """title,city,country,outcome,topic,sdgs,abstract,start_date,end_date,url,citation
Climate shelters,Porto Aurora,BR,winner,,11;13,Cool rooms,2018-05-01,,,
Open budget,Valdoria,ES,deserving,,16,,,,,
"""


# A real transaction (no test-wide atomic block), so that what the import commits
# without its own transaction would stay behind.
@pytest.mark.django_db(transaction=True)
def test_import_failing_on_its_second_row_leaves_nothing_behind():
    # A legacy entry already holds the reference the second row would get: the
    # database refuses that row after the first one was written.
    factories.SubmissionFactory(cycle=factories.CycleFactory(number=3), reference="GZA-4-0002")
    organisations = Organisation.objects.count()
    # The database's own words differ (SQLite, PostgreSQL); both name the column.
    with pytest.raises(IntegrityError, match=r"(?i)unique.*reference"):
        initiatives_import(text=ROWS, cycle_number=4, source="cycle4.csv")
    assert Submission.objects.filter(cycle__number=4).count() == 0
    assert Cycle.objects.filter(number=4).exists() is False
    assert Organisation.objects.count() == organisations
    assert StatusChange.objects.filter(transition="import").count() == 0


@pytest.mark.django_db
def test_import_carries_the_case_study_of_a_past_entry():
    text = (
        "title,city,country,outcome,problem,innovation,results\n"
        "Sponge parks,Wuhan,CN,winner,Floods every summer.,Parks that soak up rain.,No flood since.\n"
        "Night buses,Quito,EC,not_selected,,,\n"
    )
    initiatives_import(text=text, cycle_number=5, source="cycle5.csv")
    parks = Submission.objects.get(title="Sponge parks")
    assert (parks.problem, parks.innovation, parks.results, parks.publication_consent) == (
        "Floods every summer.",
        "Parks that soak up rain.",
        "No flood since.",
        True,
    )
    assert Submission.objects.get(title="Night buses").publication_consent is False
