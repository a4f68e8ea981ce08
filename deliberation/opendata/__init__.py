"""Open data of a process: a zip of every public row, in sections that each app contributes."""
