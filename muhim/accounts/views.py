"""Signing in (password, then a one-time code for people who turned on two-factor), the staff
dashboard, and the security page (two-factor, backup codes, API token)."""

import base64
import math
from io import BytesIO
from urllib.parse import urlsplit

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render, resolve_url
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from muhim.core.audit import record
from muhim.core.models import AuditEvent

from .permissions import Capability, is_regional, user_can, user_regions

PENDING_SESSION_KEY = "muhim_pending_2fa_user"
MAX_CODE_ATTEMPTS = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("accounts:dashboard")


def _seconds_to_wait(devices):
    """How long django-otp still refuses every code after wrong ones (it waits 1, 2, 4, 8 …
    seconds after each), in whole seconds; 0 when a code typed now would be checked."""
    now = timezone.now()
    waits = [0]
    for device in devices:
        allowed, info = device.verify_is_allowed()
        if not allowed and info and info.get("locked_until"):
            waits.append(math.ceil((info["locked_until"] - now).total_seconds()))
    return max(waits)


def _wait_message(seconds):
    # Refusing a right code without saying why makes people think their phone is wrong.
    if seconds < 120:
        wait = ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    return _("Too many wrong codes in a row. Wait %(wait)s, then type the newest code.") % {"wait": wait}


def _is_admin_url(url):
    try:
        return resolve(urlsplit(url).path).namespace == admin.site.name
    except Resolver404:
        return False


def _has_two_factor(user):
    return any(True for _device in devices_for_user(user, confirmed=True))


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    if request.user.is_authenticated:
        target = _next_url(request)
        # The admin sends people it refuses here; sending them back would loop forever.
        if _is_admin_url(target) and not admin.site.has_permission(request):
            raise PermissionDenied(
                _("The administration is for administrators only. You are signed in as %(name)s.")
                % {"name": request.user.get_username()}
            )
        return redirect(target)
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if _has_two_factor(user):
            request.session[PENDING_SESSION_KEY] = {"id": user.pk, "attempts": 0, "next": _next_url(request)}
            return redirect("accounts:login-verify")
        login(request, user)
        record(request, action=AuditEvent.Action.LOGIN, subject=user.username)
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
def login_verify(request):
    pending = request.session.get(PENDING_SESSION_KEY)
    if not pending:
        return redirect("accounts:login")
    user = get_user_model().objects.filter(pk=pending["id"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING_SESSION_KEY, None)
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = _seconds_to_wait(devices_for_user(user, confirmed=True))
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is None and wait:
            # The code was not even checked: not a wrong guess, so it does not count.
            form.add_error("code", _wait_message(wait))
            return render(request, "accounts/login_verify.html", {"form": form})
        if device is not None:
            request.session.pop(PENDING_SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            record(request, action=AuditEvent.Action.LOGIN, subject=user.username, two_factor=True)
            return redirect(pending["next"])
        pending["attempts"] += 1
        if pending["attempts"] >= MAX_CODE_ATTEMPTS:
            request.session.pop(PENDING_SESSION_KEY, None)
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("accounts:login")
        request.session[PENDING_SESSION_KEY] = pending
        form.add_error("code", _("That code is not right, or it has expired. Try the newest code."))
    return render(request, "accounts/login_verify.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


@login_required
def dashboard(request):
    if not user_can(request.user, Capability.VIEW_STAFF_PAGES):
        if is_regional(request.user):
            raise PermissionDenied(
                _("Your account has no regions yet. Ask an administrator to add the regions you cover.")
            )
        raise PermissionDenied(_("Your account has no role yet. Ask an administrator to give you one."))
    from muhim.geography.models import Area

    regions = user_regions(request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "regions": regions,
            "two_factor": _has_two_factor(request.user),
            "editable_areas": Area.objects.editable_by(request.user).count(),
            **_work_cards(request.user),
        },
    )


def _work_cards(user):
    """The figures of the dashboard's cards, each only for those who may open its pages."""
    from datetime import timedelta

    from muhim.network.models import Application, Assignment, Post, Vacancy
    from muhim.people.models import Volunteer

    cards = {"holds_post": Assignment.objects.active().filter(holder=user).exists()}
    if user_can(user, Capability.MANAGE_VOLUNTEERS):
        mine = Volunteer.objects.visible_to(user)
        cards["volunteers"] = {
            "regional": is_regional(user),
            "total": mine.count(),
            "new": mine.filter(created_at__gte=timezone.now() - timedelta(days=7)).count(),
        }
    if user_can(user, Capability.MANAGE_NETWORK):
        regional = Post.objects.current().regional()
        cards["network"] = {
            "posts": regional.count(),
            "covered": regional.covered().count(),
            "open_vacancies": Vacancy.objects.open().filter(post__is_active=True).count(),
        }
    if user_can(user, Capability.VIEW_ACTIVITIES):
        from muhim.activities.models import Activity

        today = timezone.localdate()
        month_start = today.replace(day=1)
        mine = Activity.objects.visible_to(user)
        cards["field"] = {
            "held_this_month": mine.held().filter(start_date__gte=month_start, start_date__lte=today).count(),
            "month_start": month_start.isoformat(),
            "today": today.isoformat(),
            "next_week": mine.filter(
                status=Activity.Status.PLANNED,
                start_date__gte=today,
                start_date__lte=today + timedelta(days=7),
            ).count(),
            "week_end": (today + timedelta(days=7)).isoformat(),
        }
        if user_can(user, Capability.VIEW_DEMANDS):
            from muhim.demands.models import Demand

            cards["field"]["overdue"] = Demand.objects.visible_to(user).overdue().count()
    if user_can(user, Capability.MANAGE_RECRUITMENT):
        cards["recruitment"] = {
            "new": Application.objects.filter(status=Application.Status.RECEIVED).count(),
        }
    return cards


def _qr_svg(text):
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


@login_required
@never_cache
def security(request):
    """Turn two-factor on (scan, confirm with a code, keep the backup codes) or off, and manage
    the API token."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    context = {"confirmed": confirmed, "token": Token.objects.filter(user=user).first()}
    action = request.POST.get("action")

    if action == "token":
        Token.objects.filter(user=user).delete()
        context["token"] = Token.objects.create(user=user)
        context["new_token"] = True
        record(request, action=AuditEvent.Action.SECURITY, subject=user.username, change="api token created")
    elif action == "token-delete":
        Token.objects.filter(user=user).delete()
        context["token"] = None
        record(request, action=AuditEvent.Action.SECURITY, subject=user.username, change="api token deleted")
    elif action == "disable" and confirmed:
        form = CodeForm(request.POST)
        wait = _seconds_to_wait(devices_for_user(user, confirmed=True))
        if form.is_valid() and match_token(user, form.cleaned_data["code"].replace(" ", "")):
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
            record(request, action=AuditEvent.Action.SECURITY, subject=user.username, change="two-factor off")
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("accounts:security")
        context["disable_form"] = form
        messages.error(
            request,
            _wait_message(wait) if wait else _("That code is not right; two-factor authentication stays on."),
        )

    if confirmed is None:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
        form = CodeForm(request.POST if action == "confirm" else None)
        if action == "confirm" and form.is_valid():
            wait = _seconds_to_wait([device])
            if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
                device.confirmed = True
                device.save()
                static, _created = StaticDevice.objects.get_or_create(user=user, name=_("Backup codes"))
                static.token_set.all().delete()
                codes = [StaticToken.random_token() for _i in range(10)]
                static.token_set.bulk_create([StaticToken(device=static, token=c) for c in codes])
                otp_login(request, device)
                record(
                    request, action=AuditEvent.Action.SECURITY, subject=user.username, change="two-factor on"
                )
                messages.success(request, _("Two-factor authentication is on."))
                return render(request, "accounts/backup_codes.html", {"codes": codes})
            form.add_error(
                "code",
                _wait_message(wait)
                if wait
                else _("That code is not right. Check the time on your phone and try the newest code."),
            )
        context.update(
            setup_device=device,
            setup_form=form,
            qr_svg=_qr_svg(device.config_url),
            secret=base64.b32encode(device.bin_key).decode(),
        )
    else:
        context.setdefault("disable_form", CodeForm())
    return render(request, "accounts/security.html", context)
