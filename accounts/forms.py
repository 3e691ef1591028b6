from django import forms
from django.contrib.auth.forms import UserCreationForm

from .models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label="Adresse électronique",
        help_text="Pour recevoir les rappels et réinitialiser votre mot de passe.",
    )

    class Meta:
        model = User
        fields = ["username", "email"]
