from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from . import roles
from .forms import SignupForm
from .services import ensure_role_groups


def signup(request):
    """Médiateurs create their account, then ask to join their structure."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.groups.add(ensure_role_groups()[roles.MEDIATEURS])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
            # Back where the sign-up started (a place's "C'est mon lieu").
            messages.success(request, "Compte créé.")
            return redirect(next_url)
        messages.success(request, "Compte créé. Indiquez maintenant le SIRET de votre structure.")
        return redirect("space-claim")
    return render(
        request,
        "registration/signup.html",
        {
            "title": "Créer un compte",
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )
