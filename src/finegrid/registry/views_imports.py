"""Ledger import pages: upload, progress, row report; the template download and the export."""

from __future__ import annotations

import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from finegrid.core.errors import InvalidInput
from finegrid.core.forms import Form
from finegrid.registry import exports, imports
from finegrid.registry.models import ImportMode, ImportStatus
from finegrid.registry.views import scoped


class UploadForm(Form):
    file = forms.FileField(label=_("Ledger file (.xlsx or .csv)"))
    mode = forms.ChoiceField(
        label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING
    )
    household_id = forms.IntegerField(
        label=_("Place every row in the household with id (optional)"),
        required=False,
        min_value=1,
    )


@scoped
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.import_start(
                actor=request.user,
                upload=form.cleaned_data["file"],
                mode=form.cleaned_data["mode"],
                household_id=form.cleaned_data["household_id"],
                request=request,
            )
        except InvalidInput as exc:
            for problem in exc.problems:
                text = str(problem.message)
                form.add_error("file", text % problem.params if problem.params else text)
            status = 422
        else:
            return redirect("registry:import", pk=job.pk)
    elif request.method == "POST":
        status = 422
    jobs = imports.job_list(user=request.user)[:20]
    context = {"form": form, "jobs": jobs, "limit": f"{imports.MAX_ROWS:,}"}
    return render(request, "registry/imports/upload.html", context, status=status)


def _job_context(job: Any) -> dict[str, Any]:
    return {
        "job": job,
        "percent": imports.job_percent(job),
        "running": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "hidden": max(0, job.error_count - len(job.errors)),
    }


@scoped
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = imports.job_get(user=request.user, pk=pk)
    return render(request, "registry/imports/job.html", _job_context(job))


@scoped
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The polled fragment: the bar while running, the report when done."""
    job = imports.job_get(user=request.user, pk=pk)
    return render(request, "registry/imports/_progress.html", _job_context(job))


@login_required
@require_GET
def template_xlsx(request: HttpRequest) -> HttpResponseBase:
    out = io.BytesIO()
    exports.people_template(out)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename="人员台账模板.xlsx", content_type=exports.XLSX
    )


@scoped
@require_GET
def people_export(request: HttpRequest) -> HttpResponseBase:
    grid = request.GET.get("grid") or None
    out, _count = exports.people_export(user=request.user, grid=grid, request=request)
    name = f"people-{grid or 'all'}-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(out, as_attachment=True, filename=name, content_type=exports.XLSX)


urlpatterns = [
    path("", upload, name="imports"),
    path("template.xlsx", template_xlsx, name="import_template"),
    path("<int:pk>/", job_detail, name="import"),
    path("<int:pk>/progress/", job_progress, name="import_progress"),
]
