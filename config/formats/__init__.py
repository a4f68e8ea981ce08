"""Date formats per language (FORMAT_MODULE_PATH): day before month, month in words, 24-hour time."""
