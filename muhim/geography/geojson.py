"""Areas as GeoJSON for maps and the API: a polygon where a boundary has been imported, a point
at the centroid where not."""

from django.urls import reverse


def area_properties(area):
    return {
        "code": area.code,
        "name": area.name,
        "name_ur": area.name_ur,
        "level": area.level,
        "parent": area.parent.code if area.parent_id else None,  # select_related("parent")
        "url": reverse("geography:area-detail", kwargs={"code": area.code}),
    }


def area_feature(area, properties=None):
    return {
        "type": "Feature",
        "id": area.code,
        "geometry": area.geometry(),
        "properties": properties if properties is not None else area_properties(area),
    }


def feature_collection(features, **extra):
    return {"type": "FeatureCollection", "features": list(features), **extra}
