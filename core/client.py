"""The address of the person making a request, behind the site's own trusted proxies.

Each trusted proxy appends the address it was reached from to X-Forwarded-For, so with
PROXY_COUNT of them the client is the PROXY_COUNT-th address from the right; anything to the
left of it was written by the client and is not believed. Without trusted proxies the
connection's own address is the only one used: a header alone never decides. Login lockouts
(django-axes, through AXES_CLIENT_IP_CALLABLE) and the security log both use this.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.PROXY_COUNT
    if count < 1:
        return remote
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote  # it did not come through every proxy: the peer is what we know
    candidate = forwarded[-count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
