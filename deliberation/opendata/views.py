"""The open-data page, a process's bundle download (page and API)."""

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from deliberation import selectors
from deliberation.models import Process, Visibility
from deliberation.opendata.models import OpenDataBundle
from deliberation.opendata.services import bundle_request, licence

RETRY_SECONDS = 10


def _process(request: HttpRequest | Request, slug: str) -> Process:
    """The process if the requester may read it (members-only: its members); 404 otherwise."""
    user = request.user if request.user.is_authenticated else None
    process = selectors.visible_processes(user).filter(slug=slug).first()
    if process is None:
        raise Http404
    return process


def _zip(bundle: OpenDataBundle, process: Process) -> FileResponse:
    response = FileResponse(
        default_storage.open(bundle.file, "rb"),
        as_attachment=True,
        filename=f"{process.slug}-open-data.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = (
        "private, no-cache" if process.visibility != "public" else "no-cache"
    )
    return response


def open_data_view(request: HttpRequest) -> HttpResponse:
    """Every public process with its bundle's size and date (one query whatever their number)."""
    processes = (
        Process.objects.filter(visibility=Visibility.PUBLIC)
        .select_related("open_data")
        .order_by("title", "pk")
    )
    return render(
        request,
        "deliberation/open_data.html",
        {"processes": processes, "licence": licence()},
    )


def bundle_download_view(request: HttpRequest, slug: str) -> HttpResponseBase:
    process = _process(request, slug)
    bundle, ready = bundle_request(process=process)
    if ready:
        return _zip(bundle, process)
    response = render(
        request,
        "deliberation/open_data_building.html",
        {"process": process, "retry": RETRY_SECONDS},
        status=202,
    )
    response["Retry-After"] = str(RETRY_SECONDS)
    return response


class BundleView(APIView):
    """A process's open-data bundle: the zip, or 202 while it is being built (retry later)."""

    @extend_schema(
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY, "the zip"),
            202: inline_serializer(
                "OpenDataBuilding",
                {"status": serializers.CharField(), "detail": serializers.CharField()},
            ),
        }
    )
    def get(self, request: Request, slug: str) -> Any:
        process = _process(request, slug)
        bundle, ready = bundle_request(process=process)
        if ready:
            return _zip(bundle, process)
        return Response(
            {"status": "building", "detail": "The bundle is being built; ask again shortly."},
            status=202,
            headers={"Retry-After": str(RETRY_SECONDS)},
        )
