"""The public's complaint pages, included by the project at /public/complaints/."""

from django.urls import path

from . import views

app_name = "public-complaints"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("done/", views.done, name="done"),
    path("track/", views.track, name="track"),
]
