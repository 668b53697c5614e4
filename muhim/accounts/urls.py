from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_verify, name="login-verify"),
    path("logout/", views.logout_view, name="logout"),
    path("security/", views.security, name="security"),
]
