"""Background work of the goals: the nightly fetch of Kolada's figures for every connected indicator. django.tasks
has no scheduler: cron runs `manage.py kolada_sync` (or `--enqueue`, for the worker) every night
(docs/operations.md). The import of a large file of values is a task too (goals.importing)."""

from django.tasks import task

from brobygget.goals.kolada.sync import kolada_sync


@task()
def kolada_sync_task(full: bool = False) -> dict[str, int]:
    """Fetch what is connected (only what changed since each indicator's last fetch, unless `full`); returns the
    counts of the sync. A failure of one key figure is recorded on its indicators and leaves their values as they
    were; the others go on."""
    result = kolada_sync(full=full)
    return {"synced": result.synced, "written": result.written, "flagged": result.flagged, "failed": len(result.failed)}
