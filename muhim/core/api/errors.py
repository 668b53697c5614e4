"""The API's answer to a query value the database cannot hold ("?person=99999999999999999999"):
400 saying so, instead of a server error. Everything else is DRF's own handling."""

from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, OverflowError | DataError):
        return Response(
            {
                "detail": _(
                    "A value in the request is too large or out of range. Check the numbers and dates in it."
                )
            },
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)
