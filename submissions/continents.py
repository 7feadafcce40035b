"""Continents as the award's statistics count them, derived from the ISO country code.

North America includes Central America and the Caribbean. Antarctica and other
uninhabited territories count nowhere (``None``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Continent(models.TextChoices):
    AFRICA = "Africa", _("Africa")
    ASIA = "Asia", _("Asia")
    EUROPE = "Europe", _("Europe")
    NORTH_AMERICA = "North America", _("North America")
    OCEANIA = "Oceania", _("Oceania")
    SOUTH_AMERICA = "South America", _("South America")


_CODES = {
    Continent.AFRICA: """
        AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW KE KM LR LS
        LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TG TN TZ UG
        YT ZA ZM ZW IO""",
    Continent.ASIA: """
        AE AF AM AZ BD BH BN BT CC CN CX GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA
        LB LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE""",
    Continent.EUROPE: """
        AD AL AT AX BA BE BG BY CH CY CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS
        IT JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK""",
    Continent.NORTH_AMERICA: """
        AG AI AW BB BL BM BQ BS BZ CA CR CU CW DM DO GD GL GP GT HN HT JM KN KY LC MF MQ
        MS MX NI PA PM PR SV SX TC TT US VC VG VI UM""",
    Continent.SOUTH_AMERICA: """
        AR BO BR CL CO EC FK GF GY PE PY SR UY VE GS""",
    Continent.OCEANIA: """
        AS AU CK FJ FM GU KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS""",
}

CONTINENT_BY_COUNTRY = {
    code: continent for continent, codes in _CODES.items() for code in codes.split()
}


def continent_of(country_code: str) -> str:
    """The continent's name for an ISO 3166-1 alpha-2 code, or '' when none applies."""
    return CONTINENT_BY_COUNTRY.get((country_code or "").upper(), "")
