from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from . import agencies, home, officers, public

urlpatterns = [
    path("", public.public_home, name="public-home"),
    path("home/", home.home, name="home"),
    path("agencies/", agencies.agency_list, name="agency-list"),
    path("agencies/<int:pk>/", agencies.agency_detail, name="agency-detail"),
    path("officers/", officers.officer_list, name="officer-list"),
    path("officers/<int:pk>/", officers.officer_detail, name="officer-detail"),
    # Authentication (Django's views, our zh-Hans templates in templates/registration/).
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={"failure_limit": settings.AXES_FAILURE_LIMIT},
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
