"""Territorial action plans, mounted at /plans-d-action/ (TrainingsConfig.hub_urls)."""

from django.urls import path

from . import plan_views as views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("nouveau/", views.plan_create, name="plan-new"),
    path("planifier/", views.plan_action, name="plan-action"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/modifier/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/plan.xlsx", views.plan_export, {"format": "xlsx"}, name="plan-xlsx"),
    path("<int:pk>/plan.pdf", views.plan_export, {"format": "pdf"}, name="plan-pdf"),
    path("<int:pk>/actions/nouvelle/", views.action_form, name="plan-action-new"),
    path("<int:pk>/actions/<int:action_pk>/", views.action_form, name="plan-action-edit"),
]
