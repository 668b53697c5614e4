"""Factories for activities and demands tests. Rows made by a factory bypass the services:
call `activities.stats.rebuild()` / `demands.stats.rebuild()` if a test needs the figures."""

from datetime import date

import factory

from muhim.activities.models import Activity, ActivityType
from muhim.demands.models import Category, Demand, ParentalBody
from muhim.geography.models import Area


def district(code="pb-lahore"):
    return Area.objects.get(code=code)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = ActivityType.SEMINAR
    title = factory.Sequence(lambda n: f"Seminar {n}")
    start_date = date(2026, 11, 10)
    district = factory.LazyFunction(district)
    status = Activity.Status.HELD


class DemandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demand

    title = factory.Sequence(lambda n: f"Two teachers for GPS Chak {n}")
    category = Category.TEACHERS
    district = factory.LazyFunction(district)
    authority = Demand.Authority.EDUCATION_OFFICER
    raised_on = date(2026, 11, 10)
    status_on = date(2026, 11, 10)


class ParentalBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentalBody

    name = factory.Sequence(lambda n: f"Parents' committee {n}")
    level = ParentalBody.Level.DISTRICT
    district = factory.LazyFunction(district)


def sub_area(code, level, name, parent):
    """A tehsil or union council under `parent`, with its path and province set."""
    area = Area(code=code, level=level, name=name, parent=parent, province=parent.province)
    area.path = area.build_path()
    area.save()
    return area
