"""The review workflow: who someone is to a case study (roles), the steps it moves through
(transitions), the emails each step sends (notifications) and comparing saved versions
(history)."""
