"""The Content-Security-Policy middleware (django-csp), with one exception for the admin.

Public pages run no inline script at all (CONTENT_SECURITY_POLICY in settings). The admin's
map widgets (django-leaflet) write inline scripts carrying the request's nonce: on the admin's
pages only, scripts with that nonce are allowed too, which injected markup cannot guess.
"""

from csp.constants import NONCE
from csp.middleware import CSPMiddleware


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.namespace == "admin" and parts.update is None:
            parts.update = {"script-src": [NONCE]}
        return parts
