"""The solutions app's pages, by audience: `public` (browsing), `submissions` (network staff
writing case studies), `exports` and `feeds` (the data for other sites and readers)."""
