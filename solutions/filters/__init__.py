"""Filtering lists of solutions and transfers from a query string: `lenient` cleans, the
filter sets query, `presentation` shows the options, chips and notices beside the results."""
