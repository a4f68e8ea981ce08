"""The stakeholders API: tokens, who am I, the directory, hats, statements of interest, inbox."""
