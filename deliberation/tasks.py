"""Celery tasks of deliberation: building open-data bundles."""

from celery import shared_task

from deliberation.opendata import services


@shared_task(name="deliberation.build_open_data")
def build_open_data(process_id: int) -> int:
    """Build one process's open-data bundle (idempotent); returns its size in bytes."""
    bundle = services.bundle_build(process_id=process_id)
    return bundle.size if bundle else 0


@shared_task(name="deliberation.refresh_open_data")
def refresh_open_data() -> int:
    """Rebuild every public process's bundle whose rows changed; returns how many were built."""
    built = 0
    for pk in services.stale_public_bundles():
        services.bundle_build(process_id=pk)
        built += 1
    return built
