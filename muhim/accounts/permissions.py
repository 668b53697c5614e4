"""The permission matrix: which role may do what, and whether only inside their regions.

Views check `user_can(user, capability, area)`; querysets narrow with `scope_filter(...)`.
Templates may hide links with the same checks, but never are the only check.
"""

from enum import StrEnum
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import Role


class Capability(StrEnum):
    VIEW_STAFF_PAGES = "view_staff_pages"  # the staff dashboard and read-only staff pages
    EDIT_GAZETTEER = "edit_gazetteer"  # area names, aliases; tehsil/UC imports
    MANAGE_BOUNDARIES = "manage_boundaries"  # boundary file imports
    MANAGE_CONSTITUENCIES = "manage_constituencies"  # constituency imports and edits
    RUN_IMPORTS = "run_imports"  # the import pages at all (each importer adds its own check)
    VIEW_ALL_IMPORTS = "view_all_imports"  # other people's import runs
    VIEW_PERSONAL_DATA = "view_personal_data"  # phones, CNICs, CVs, addresses
    VIEW_AUDIT = "view_audit"  # change history of records, the export log
    MANAGE_USERS = "manage_users"
    MANAGE_NETWORK = "manage_network"  # posts, who holds them, vacancies
    MANAGE_RECRUITMENT = "manage_recruitment"  # applications, CVs, the hiring pipeline
    MANAGE_VOLUNTEERS = "manage_volunteers"  # volunteers' records, notes, levels, exports
    VIEW_ACTIVITIES = "view_activities"  # the staff pages of field activities and the dashboard
    MANAGE_ACTIVITIES = "manage_activities"  # log and edit activities, caravans, photos
    VIEW_DEMANDS = (
        "view_demands"  # demands and parental bodies (personal data still needs VIEW_PERSONAL_DATA)
    )
    MANAGE_DEMANDS = "manage_demands"  # record demands and their updates, parental bodies and members
    MANAGE_PARTNERS = "manage_partners"  # the list of partner organisations
    MANAGE_ELECTIONS = "manage_elections"  # elections, parties, candidates, results, surveys, budgets
    MANAGE_MANIFESTOS = "manage_manifestos"  # upload manifestos, review their sentences, publish
    MANAGE_PLEDGES = "manage_pledges"  # record pledges and rate them (organisers: corner meetings)
    MANAGE_MEDIA = "manage_media"  # the media stories tracked by constituency, candidate and party


class Scope(StrEnum):
    NATIONAL = "national"  # everywhere
    REGIONAL = "regional"  # only inside the user's regions


C = Capability
ROLE_SCOPE = {
    Role.ADMINISTRATOR: Scope.NATIONAL,
    Role.CAMPAIGN_OFFICE: Scope.NATIONAL,
    Role.ORGANISER: Scope.REGIONAL,
    Role.SPECIALIST: Scope.NATIONAL,
    Role.PARTNER: Scope.NATIONAL,
}
MATRIX = {
    Role.ADMINISTRATOR: set(Capability),
    Role.CAMPAIGN_OFFICE: {
        C.VIEW_STAFF_PAGES,
        C.EDIT_GAZETTEER,
        C.MANAGE_BOUNDARIES,
        C.MANAGE_CONSTITUENCIES,
        C.RUN_IMPORTS,
        C.VIEW_ALL_IMPORTS,
        C.VIEW_PERSONAL_DATA,
        C.MANAGE_NETWORK,
        C.MANAGE_RECRUITMENT,
        C.MANAGE_VOLUNTEERS,
        C.VIEW_ACTIVITIES,
        C.MANAGE_ACTIVITIES,
        C.VIEW_DEMANDS,
        C.MANAGE_DEMANDS,
        C.MANAGE_PARTNERS,
        C.MANAGE_ELECTIONS,
        C.MANAGE_MANIFESTOS,
        C.MANAGE_PLEDGES,
        C.MANAGE_MEDIA,
    },
    # Organisers work in their own regions: they keep the gazetteer of their region right
    # (Urdu spellings, aliases, tehsils and union councils), look after its volunteers, log
    # its activities and follow up its parents' demands and parental bodies, and record the
    # pledges candidates make at corner meetings there.
    Role.ORGANISER: {
        C.VIEW_STAFF_PAGES,
        C.EDIT_GAZETTEER,
        C.RUN_IMPORTS,
        C.VIEW_PERSONAL_DATA,
        C.MANAGE_VOLUNTEERS,
        C.VIEW_ACTIVITIES,
        C.MANAGE_ACTIVITIES,
        C.VIEW_DEMANDS,
        C.MANAGE_DEMANDS,
        C.MANAGE_PLEDGES,
    },
    # Specialists (media, data, digital, alliances) work nationally on shared data: they log
    # the press briefings and seminars they hold, and read demands (without who raised them);
    # they keep the election record: candidates, manifestos, pledges, media stories, budgets.
    Role.SPECIALIST: {
        C.VIEW_STAFF_PAGES,
        C.RUN_IMPORTS,
        C.VIEW_ACTIVITIES,
        C.MANAGE_ACTIVITIES,
        C.VIEW_DEMANDS,
        C.MANAGE_ELECTIONS,
        C.MANAGE_MANIFESTOS,
        C.MANAGE_PLEDGES,
        C.MANAGE_MEDIA,
    },
    # Partners read shared data and change nothing.
    Role.PARTNER: {C.VIEW_STAFF_PAGES, C.VIEW_ACTIVITIES},
}


def role_of(user):
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return user.effective_role


def capabilities_of(user):
    role = role_of(user)
    return MATRIX.get(role, set()) if role else set()


def is_regional(user):
    role = role_of(user)
    return role is not None and ROLE_SCOPE[role] == Scope.REGIONAL


def user_regions(user):
    """The user's regions, cached on the user object for the request."""
    if not hasattr(user, "_muhim_regions"):
        # Read on every request of a regional user, for checks and names: never the outlines.
        user._muhim_regions = list(user.regions.defer("boundary", "bbox")) if user.is_authenticated else []
    return user._muhim_regions


def user_can(user, capability, area=None):
    """May `user` use `capability`? With `area`, also: is `area` inside their scope?

    Regional roles without regions can do nothing regional. Without `area`, a regional role
    passes when it has the capability somewhere; the caller must then scope its queryset.
    """
    if capability not in capabilities_of(user):
        return False
    if not is_regional(user):
        return True
    regions = user_regions(user)
    if area is None:
        return bool(regions)
    return any(region.contains(area) for region in regions)


def scope_filter(user, capability, area_field=None):
    """A Q that keeps rows whose `area_field` (a lookup path to an Area) is in the user's scope
    for `capability`: everything for national roles, nothing without the capability. Without
    `area_field` the rows are areas themselves."""
    if capability not in capabilities_of(user):
        return Q(pk__in=[])
    if not is_regional(user):
        return Q()
    regions = user_regions(user)
    if not regions:
        return Q(pk__in=[])
    prefix = f"{area_field}__" if area_field else ""
    return reduce(
        or_,
        (Q(**{f"{prefix}path__startswith": f"{r.path}/"}) | Q(**{f"{prefix}pk": r.pk}) for r in regions),
    )
