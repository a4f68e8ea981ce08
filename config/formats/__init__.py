"""Date formats for each language (FORMAT_MODULE_PATH): day first, month in words, 24 hours."""
