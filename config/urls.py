from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from muhim.core import views as core_views
from muhim.core.health import healthz

from .api_router import router

# The admin signs in through Muhim's own login (brute-force protection, two-factor).
admin.site.login = RedirectView.as_view(pattern_name="accounts:login", query_string=True)
admin.site.site_header = "Muhim administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]

# Pages: English at /, Urdu at /ur/ so that shared links keep their language.
urlpatterns += i18n_patterns(
    path("", core_views.home, name="home"),
    path("", include("muhim.geography.urls")),
    path("", include("muhim.core.urls")),
    path("", include("muhim.network.urls")),
    path("", include("muhim.people.urls")),
    path("", include("muhim.activities.urls")),
    path("", include("muhim.demands.urls")),
    path("", include("muhim.elections.urls")),
    path("", include("muhim.manifestos.urls")),
    path("", include("muhim.accountability.urls")),
    path("accounts/", include("muhim.accounts.urls")),
    path("admin/", admin.site.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
