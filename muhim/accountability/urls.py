from . import budget_views, media_views, objective_views, pledge_views, scorecard_views, survey_views

app_name = "accountability"

urlpatterns = [
    *pledge_views.urlpatterns,
    *survey_views.urlpatterns,
    *media_views.urlpatterns,
    *budget_views.urlpatterns,
    *scorecard_views.urlpatterns,
    *objective_views.urlpatterns,
]
