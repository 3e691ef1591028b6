"""Deployments of equipment to schools and family loans, under /ecoles/."""

from django.urls import path

from . import logistics as views

urlpatterns = [
    path("deploiements/", views.deployments, name="equipment-deployments"),
    path("deploiements/export.csv", views.deployments_export, name="equipment-deployments-export"),
    path("deploiements/ajouter/", views.deployment_form, name="equipment-deployment-add"),
    path("deploiements/<int:pk>/", views.deployment_form, name="equipment-deployment-edit"),
    path("prets/", views.loans, name="equipment-loans"),
    path("prets/en-retard/", views.loans_overdue, name="equipment-loans-overdue"),
    path("prets/ajouter/", views.loan_pool_new, name="equipment-loan-pool-add"),
    path("prets/<int:pk>/", views.loan_pool, name="equipment-loan-pool"),
    path("prets/<int:pk>/preter/", views.loan_new, name="equipment-loan-add"),
    path("prets/retour/<int:pk>/", views.loan_return, name="equipment-loan-return"),
]
