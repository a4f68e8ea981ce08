"""Spanish dates: 3 de diciembre de 2026, 15:30; short, 3 dic. 2026 (three-letter months)."""

DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j \d\e F \d\e Y, H:i"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
SHORT_DATE_FORMAT = "j b. Y"
SHORT_DATETIME_FORMAT = "j b. Y, H:i"
