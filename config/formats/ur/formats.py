"""Number formats for Urdu pages. Django ships none for Urdu, so without these its figures
went ungrouped (995600 where the English page says 995,600). Urdu print in Pakistan groups
digits in threes with a comma, as English does; the decimal point is a point."""

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
