"""The solutions app's admin, by what a curator works on: the case study (`solutions`), its
workflow and the review queue (`workflow`), the rows it holds and transfers (`related`), and
the taxonomy (`taxonomy`). Importing this package registers them all."""

from solutions.admin import related, solutions, taxonomy, workflow  # noqa: F401
