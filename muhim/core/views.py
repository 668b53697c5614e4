from django.shortcuts import render

from muhim.geography.models import Area, Constituency
from muhim.network.models import Vacancy


def home(request):
    context = {
        "counts": {
            "provinces": Area.objects.provinces().count(),
            "divisions": Area.objects.divisions().count(),
            "districts": Area.objects.districts().count(),
            "constituencies": Constituency.objects.count(),
        },
        "provinces": Area.objects.provinces().order_by("name"),
        "open_vacancies": Vacancy.objects.open().filter(post__is_active=True).count(),
    }
    return render(request, "home.html", context)
