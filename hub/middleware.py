"""Requests the hub refuses before any view runs."""

from urllib.parse import unquote_plus

from django.http import HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string

NUL_REASON = "L’adresse demandée contient un caractère nul (%00) : elle ne peut pas être lue."


class RefuseNulCharacter:
    """PostgreSQL refuses the NUL character in text, so an address carrying one in its path or
    query fails in whichever view looks it up: it is answered 400 here, once for every view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "\x00" in unquote_plus(request.META.get("QUERY_STRING", "")):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": NUL_REASON}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(render_to_string("400.html", {"reason": NUL_REASON}))
        return self.get_response(request)
