# The portal's English date formats: day month year and a 24-hour clock, as the award
# writes them ("24 November 2026, 13:04"), instead of Django's American defaults
# ("Nov. 24, 2026, 1:04 p.m."). Chinese, French and Spanish use Django's own formats.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1
