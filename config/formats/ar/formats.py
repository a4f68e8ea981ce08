"""Arabic dates: 3 ديسمبر 2026، 15:30 (Django's own Arabic formats have no date-time one, so it
fell back to the US "N j, Y")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Arabic months have no short names: the short forms are the long ones.
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
