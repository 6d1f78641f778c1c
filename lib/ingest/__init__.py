"""Import: file → detect its format → canonical rows → validate → load in one transaction."""
