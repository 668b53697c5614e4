from . import calendar, dashboard, views

app_name = "activities"

# Staff pages under /field/ (activities, caravans, photos), the field dashboard, and the
# public calendar, event pages and iCalendar feeds.
urlpatterns = views.urlpatterns + calendar.urlpatterns + dashboard.urlpatterns
