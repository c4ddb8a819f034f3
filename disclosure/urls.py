"""The public ledger feed, included by the project at /transparency/."""

from django.urls import path

from . import views

app_name = "disclosure"

urlpatterns = [
    path("", views.transparency, name="transparency"),
    path("checkpoint.txt", views.checkpoint_txt, name="checkpoint-txt"),
]
