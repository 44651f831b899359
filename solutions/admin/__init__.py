"""The solutions app's admin, by what a curator works on: the case study (`solutions`), its
workflow steps (`workflow`), the review queue (`review_queue`, with what it holds in `queue`),
the curators' desk on the admin's home page (`desk`), the rows a case study holds and
transfers (`related`), and the taxonomy (`taxonomy`). Importing this package registers them
all."""

from solutions.admin import desk, related, review_queue, solutions, taxonomy, workflow  # noqa: F401
