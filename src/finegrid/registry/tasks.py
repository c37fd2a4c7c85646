"""Background work of the registry (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    """Run a ledger import that was too large to run within its upload request."""
    from finegrid.registry.imports import import_run

    import_run(job_id=job_id)
