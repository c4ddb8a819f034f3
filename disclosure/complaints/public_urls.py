"""The public's complaint pages, included by the project at /public/complaints/."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "public-complaints"

urlpatterns = [
    # The public navigation links here: the form, which links to the status page.
    path("", RedirectView.as_view(pattern_name="public-complaints:new"), name="index"),
    path("new/", views.new, name="new"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
]
