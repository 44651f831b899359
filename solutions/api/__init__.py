"""The read-only open-data API, /api/v1/: published case studies, cities, networks, themes and
transfers as JSON, with an OpenAPI schema generated from this code (drf-spectacular).

`serializers` says what each item holds, `views` what each endpoint lists and how it filters
(with the very filter sets of the HTML lists, so a query string finds the same case studies
in both), `http` the caching headers, ETags and the rate limit, `urls` the routes and the
documentation page. Nothing here writes: every endpoint answers GET, HEAD and OPTIONS only.
"""
