"""Asking for and building a process's open-data bundle (the build runs in a Celery task)."""

import logging
import tempfile
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from deliberation.models import Process
from deliberation.opendata.bundle import fingerprint, write_bundle
from deliberation.opendata.models import BundleStatus, OpenDataBundle
from record.models import AuditEvent
from web.queue import enqueue_on_commit

logger = logging.getLogger(__name__)

# A build that has not finished in this long is presumed lost (its worker died) and is queued again.
STALE_BUILD = timedelta(minutes=15)


def licence() -> dict[str, str]:
    return {"name": settings.OPEN_DATA_LICENCE_NAME, "url": settings.OPEN_DATA_LICENCE_URL}


def bundle_request(*, process: Process) -> tuple[OpenDataBundle, bool]:
    """The process's bundle and whether it holds the process as it is now.

    After: when it does not, a build of the current state is queued (once: a build already
    queued for the same state and not stale is not queued again).
    """
    current = fingerprint(process)
    with transaction.atomic():
        bundle, _created = OpenDataBundle.objects.select_for_update().get_or_create(
            process=process, defaults={"wanted": current}
        )
        if bundle.file and bundle.stamp == current and default_storage.exists(bundle.file):
            return bundle, True
        # A file lost from storage is built again like a changed process.
        pending = (
            bundle.status == BundleStatus.BUILDING
            and bundle.wanted == current
            and bundle.requested_at > timezone.now() - STALE_BUILD
            and not _created
        )
        if not pending:
            bundle.status = BundleStatus.BUILDING
            bundle.wanted = current
            bundle.requested_at = timezone.now()
            bundle.save(update_fields=["status", "wanted", "requested_at"])
            enqueue_on_commit("deliberation.build_open_data", process.pk)
    return bundle, False


def bundle_build(*, process_id: int) -> OpenDataBundle | None:
    """Write the process's bundle to storage, replacing the previous file; idempotent.

    Before: any state. After: the bundle row is `ready` with the stamp of the rows it holds (read
    before writing, so a change during the build makes the next request build again).
    """
    process = Process.objects.filter(pk=process_id).first()
    if process is None:
        return None
    stamp = fingerprint(process)
    bundle, _created = OpenDataBundle.objects.get_or_create(process=process)
    if bundle.file and bundle.stamp == stamp and default_storage.exists(bundle.file):
        return bundle
    built_at = timezone.now()
    head = AuditEvent.objects.head()
    about: dict[str, Any] = {
        "process": {
            "slug": process.slug,
            "title": process.title,
            "visibility": process.visibility,
            "url": f"{settings.SITE_URL}{process.get_absolute_url()}",
        },
        "built_at": built_at.isoformat(),
        "licence": licence(),
        "chain_head": {"seq": head.seq, "hash": head.hash} if head else None,
    }
    try:
        with tempfile.TemporaryFile(suffix=".zip") as target:
            counts = write_bundle(target, process=process, about=about)
            size = target.tell()
            target.seek(0)
            name = default_storage.save(f"open-data/{process.slug}-{stamp[:16]}.zip", File(target))
    except Exception:
        OpenDataBundle.objects.filter(pk=bundle.pk).update(status=BundleStatus.FAILED)
        raise
    old = bundle.file
    with transaction.atomic():
        bundle = OpenDataBundle.objects.select_for_update().get(pk=bundle.pk)
        bundle.file, bundle.stamp, bundle.size, bundle.counts = name, stamp, size, counts
        bundle.built_at = built_at
        if bundle.wanted in ("", stamp) or bundle.status != BundleStatus.BUILDING:
            bundle.wanted = stamp
            bundle.status = BundleStatus.READY
        bundle.save()
    if old and old != name:
        transaction.on_commit(lambda: default_storage.delete(old))
    return bundle


def stale_public_bundles() -> list[int]:
    """Ids of public, unarchived processes whose bundle is missing or older than their rows."""
    return [
        process.pk
        for process in Process.objects.filter(visibility="public", archived_at__isnull=True)
        .select_related("open_data")
        .order_by("pk")
        if getattr(process, "open_data", None) is None
        or process.open_data.stamp != fingerprint(process)
    ]
