"""django-tasks' database backend under our labels, so its admin pages read in both languages.

The backend names its app "Tasks Database Backend" in English only; this subclass gives it our
translated name (the app's label and migrations stay the backend's). Its model and field names
are marked for translation in the backend but carry no Chinese: the msgids below put them in our
catalogue, which Django consults first.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django_tasks_db.apps import TasksAppConfig

BACKEND_MSGIDS = (
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("args kwargs"),
    gettext_noop("priority"),
    gettext_noop("task path"),
    gettext_noop("worker id"),
    gettext_noop("queue name"),
    gettext_noop("backend name"),
    gettext_noop("run after"),
    gettext_noop("return value"),
    gettext_noop("exception class path"),
    gettext_noop("traceback"),
)
# django-tasks' status labels carry the context "Task"; pgettext_lazy marks them with it.
STATUS_MSGIDS = (
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
)


class TasksDatabaseConfig(TasksAppConfig):
    default = False
    verbose_name = _("Background tasks")  # type: ignore[assignment]
