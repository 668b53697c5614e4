"""The public sign-up form and the organisers' volunteer pages.

Organisers reach volunteers only through `Volunteer.objects.visible_to(user)`: the list shows
their regions' volunteers, and another region's volunteer is refused (403), not hidden (404),
so that an organiser following an old link learns why."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from muhim.accounts.permissions import Capability, user_can
from muhim.core.lists import FilteredListView
from muhim.geography.models import defer_geometry
from muhim.network.contacts import contact_links, office_contact

from .filters import VolunteerFilter
from .forms import (
    ContactForm,
    OrganiserAddForm,
    SignUpForm,
    VolunteerUpdateForm,
    districts_for_form,
    tags_from_names,
)
from .models import ConsentText, Volunteer
from .services import record_interaction, sign_up, update_volunteer
from .tables import VolunteerTable

SESSION_KEY = "muhim_signup"
# Sign-ups accepted from one address, and form submissions of any kind (typos included).
SIGNUP_RATE = getattr(settings, "MUHIM_SIGNUP_RATE", "5/h")
ATTEMPT_RATE = getattr(settings, "MUHIM_SIGNUP_ATTEMPT_RATE", "30/h")


# --- the public sign-up -----------------------------------------------------------------------


LOOPBACK = {"127.0.0.1", "::1"}


def client_address(group, request):
    """The visitor's address for the rate limits. Behind a proxy every request comes from the
    proxy, so the deployment names the header holding the real address in the setting that
    sign-in lock-outs use (AXES_IPWARE_META_PRECEDENCE_ORDER); and a request from this very
    machine with X-Forwarded-For came through the local nginx of deploy/. Of a forwarded list
    the last entry counts: our proxy added it, the visitor can write the others."""
    meta = request.META
    address = ""
    for key in getattr(settings, "AXES_IPWARE_META_PRECEDENCE_ORDER", None) or ["REMOTE_ADDR"]:
        if meta.get(key):
            address = meta[key].split(",")[-1].strip()
            break
    address = address or meta.get("REMOTE_ADDR", "")
    if address in LOOPBACK and meta.get("HTTP_X_FORWARDED_FOR"):
        return meta["HTTP_X_FORWARDED_FOR"].split(",")[-1].strip()
    return address


def _limited(request):
    """Too many sign-ups (or attempts) from this address this hour? Every submission counts as
    an attempt; only accepted sign-ups count towards the sign-up limit."""
    attempts = get_usage(
        request, group="people:signup-attempt", key=client_address, rate=ATTEMPT_RATE, increment=True
    )
    signups = get_usage(request, group="people:signup", key=client_address, rate=SIGNUP_RATE, increment=False)
    return bool((attempts and attempts["should_limit"]) or (signups and signups["count"] >= signups["limit"]))


def _count_signup(request):
    get_usage(request, group="people:signup", key=client_address, rate=SIGNUP_RATE, increment=True)


def signup(request):
    consent = ConsentText.current()
    districts = districts_for_form()
    initial, unknown_district = {}, ""
    wanted = (request.GET.get("district") or "").strip()
    if wanted:
        if any(d.code == wanted for d in districts):
            initial["district"] = wanted
        else:
            unknown_district = wanted
    form = SignUpForm(request.POST or None, districts=districts, consent_text=consent, initial=initial)
    status = 200
    if request.method == "POST":
        if _limited(request):
            status = 429
            form.add_error(
                None,
                _(
                    "Many sign-ups have come from your connection in the last hour, so we cannot "
                    "take another one now. Please try again in an hour; what you typed is still below."
                ),
            )
        elif form.is_spam:
            # Pretend it worked: a bot that is told otherwise learns to avoid the trap.
            _count_signup(request)
            request.session[SESSION_KEY] = {"organiser": None, "updated": False}
            return redirect("people:signup-thanks")
        elif form.is_valid():
            data = form.cleaned_data
            try:
                result = sign_up(
                    name=data["name"],
                    phone=data["phone"],
                    district=data["district"],
                    consent_text=data["consent_version"],
                    email=data["email"],
                    interests=list(data["interests"]),
                    sex=data["sex"],
                    language=get_language() if get_language() in ("ur", "en") else "ur",
                    source=Volunteer.Source.WEB,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                _count_signup(request)
                request.session[SESSION_KEY] = {
                    "organiser": result.volunteer.organiser_id,
                    "updated": not result.created,
                }
                return redirect("people:signup-thanks")
    return render(
        request,
        "people/signup.html",
        {"form": form, "consent": consent, "unknown_district": unknown_district},
        status=status,
    )


def signup_thanks(request):
    outcome = request.session.get(SESSION_KEY) or {}
    organiser = profile = None
    if outcome.get("organiser"):
        organiser = (
            get_user_model()
            .objects.filter(pk=outcome["organiser"], is_active=True)
            .select_related("organiser_profile")
            .first()
        )
        profile = getattr(organiser, "organiser_profile", None) if organiser else None
    return render(
        request,
        "people/signup_thanks.html",
        {
            "outcome": outcome,
            "organiser": organiser,
            "profile": profile,
            "contacts": contact_links(profile),
            "office": office_contact(),
        },
    )


# --- organisers' pages ------------------------------------------------------------------------


def _check_access(request):
    """None, or the response for someone who may not be here."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user_can(request.user, Capability.MANAGE_VOLUNTEERS):
        raise PermissionDenied(_("Only the campaign office and regional organisers manage volunteers."))
    return None


def volunteer_manager_required(view):
    def wrapped(request, *args, **kwargs):
        return _check_access(request) or view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


class VolunteerListView(FilteredListView):
    table_class = VolunteerTable
    filterset_class = VolunteerFilter
    template_name = "people/volunteer_list.html"
    export_name = "volunteers"

    def dispatch(self, request, *args, **kwargs):
        return _check_access(request) or super().dispatch(request, *args, **kwargs)

    def count_text(self, count):
        return ngettext("%(count)s volunteer", "%(count)s volunteers", count) % {"count": count}

    def get_queryset(self):
        return defer_geometry(
            Volunteer.objects.visible_to(self.request.user)
            .select_related("district", "organiser", "consent_text")
            .prefetch_related("interests", "tags"),
            "district",
        )


def _volunteer_or_403(request, pk):
    volunteer = (
        Volunteer.objects.visible_to(request.user)
        .select_related("district", "district__province", "organiser", "consent_text")
        .prefetch_related("interests", "tags")
        .filter(pk=pk)
        .first()
    )
    if volunteer is None:
        # Only whether the record exists is asked of the whole table, to answer 403 or 404.
        if Volunteer.objects.filter(pk=pk).exists():
            raise PermissionDenied(
                _("This volunteer is in another region. Organisers see only their own regions' volunteers.")
            )
        raise Http404(_("There is no such volunteer."))
    return volunteer


@volunteer_manager_required
def volunteer_detail(request, pk):
    volunteer = _volunteer_or_403(request, pk)
    update_form = VolunteerUpdateForm.for_volunteer(volunteer)
    contact_form = ContactForm(prefix="contact")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "update":
            update_form = VolunteerUpdateForm.for_volunteer(volunteer, request.POST)
            if update_form.is_valid():
                data = update_form.cleaned_data
                with transaction.atomic():
                    update_volunteer(
                        volunteer=volunteer,
                        user=request.user,
                        level=data["level"],
                        notes=data["notes"],
                        tags=tags_from_names(data["tags"]),
                    )
                messages.success(request, _("Saved."))
                return redirect(volunteer)
        elif action == "contact":
            contact_form = ContactForm(request.POST, prefix="contact")
            if contact_form.is_valid():
                record_interaction(
                    volunteer=volunteer,
                    kind=contact_form.cleaned_data["kind"],
                    text=contact_form.cleaned_data["text"].strip(),
                    at=contact_form.at(),
                    user=request.user,
                )
                messages.success(request, _("The contact was added to the history."))
                return redirect(volunteer)
    history = volunteer.interactions.select_related("by").order_by("-at", "-pk")
    return render(
        request,
        "people/volunteer_detail.html",
        {
            "volunteer": volunteer,
            "history": history,
            "update_form": update_form,
            "contact_form": contact_form,
            "consent": volunteer.consent_text,
        },
    )


@volunteer_manager_required
def volunteer_add(request):
    districts = districts_for_form(request.user)
    consent = ConsentText.current()
    form = OrganiserAddForm(request.POST or None, districts=districts, consent_text=consent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = data["phone"].as_e164
        visible = Volunteer.objects.visible_to(request.user)
        known_elsewhere = (
            not visible.filter(phone=phone).exists() and Volunteer.objects.filter(phone=phone).exists()
        )
        if known_elsewhere:
            form.add_error(
                "phone",
                _(
                    "This number belongs to a volunteer in another region. Ask the campaign office "
                    "to move them to your region if they have moved."
                ),
            )
        else:
            try:
                result = sign_up(
                    name=data["name"],
                    phone=data["phone"],
                    district=data["district"],
                    consent_text=data["consent_version"],
                    email=data["email"],
                    interests=list(data["interests"]),
                    sex=data["sex"],
                    language=data["language"],
                    source=Volunteer.Source.ORGANISER,
                    user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if result.created:
                    messages.success(request, _("%(name)s was added.") % {"name": result.volunteer.name})
                else:
                    messages.info(
                        request,
                        _("%(name)s was already known by this number; their details were updated.")
                        % {"name": result.volunteer.name},
                    )
                return redirect(result.volunteer)
    return render(request, "people/volunteer_form.html", {"form": form, "consent": consent})
