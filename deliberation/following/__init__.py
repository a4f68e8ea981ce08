"""Following a process without logging in: Atom feeds and iCalendar calendars."""
