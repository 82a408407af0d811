from allauth.account import views as allauth_views
from allauth.socialaccount import views as socialaccount_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import second_factor_views, single_sign_on
from .sign_in import SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", single_sign_on.SignOutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # allauth's own names for the same pages, which its views redirect to.
    path("login/", SignInView.as_view(), name="account_login"),
    path("logout/", allauth_views.logout, name="account_logout"),
    path("inactive/", allauth_views.account_inactive, name="account_inactive"),
    path("reauthenticate/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path("2fa/", include("allauth.mfa.urls")),
    # Single sign-on: each provider's start and the address it sends people back to.
    path("oidc/<slug:provider_id>/login/", single_sign_on.login, name="openid_connect_login"),
    path("oidc/<slug:provider_id>/login/callback/", single_sign_on.callback, name="openid_connect_callback"),
    path("sso/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("sso/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    path("sso/signup/", socialaccount_views.signup, name="socialaccount_signup"),
    path(
        "people/<int:pk>/second-factor/reset/",
        second_factor_views.reset_second_factor,
        name="reset_second_factor",
    ),
]
