from django.contrib.auth import views as auth_views
from django.urls import path

from cpqa.web import views

urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(template_name="web/sign_in.html"), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.today, name="today"),
]
