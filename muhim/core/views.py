from django.shortcuts import render

from muhim.geography.models import Area, Constituency


def home(request):
    context = {
        "counts": {
            "provinces": Area.objects.provinces().count(),
            "divisions": Area.objects.divisions().count(),
            "districts": Area.objects.districts().count(),
            "constituencies": Constituency.objects.count(),
        },
        "provinces": Area.objects.provinces().order_by("name"),
    }
    return render(request, "home.html", context)
