"""Set up the emergency call in a database that real servers will use (not a test database):
the test net, the micro-grid worker and grid head on duty, 陈大爷 enrolled with a button.

    FINEGRID_SQLITE_PATH=… python -m tests.care.two_servers_setup [--chain SECONDS]

Prints one line of JSON: the button's key, the worker's and grid head's API tokens and ids, the
passwords' owner names, the call-free enrolment id. ``--chain`` gives the community a chain of
steps of that many seconds (the micro-grid worker, then the grid head); ``--pair`` makes a second
micro-grid worker of M1 (刘芳, ``worker2``), alerted with the first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chain", type=int, default=0)
    parser.add_argument("--pair", action="store_true")
    # the grid head on an extended shift (错时延时) from an hour ago: on duty whatever the hour
    parser.add_argument("--head-shift", action="store_true")
    # a micro-grid worker of the neighbouring micro-grid M2 (陈丽, ``neighbour``)
    parser.add_argument("--neighbour", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finegrid.config.settings")
    import django

    django.setup()
    from django.utils import timezone

    from finegrid.accounts.models import ApiToken
    from finegrid.care import services_enrolment
    from tests.care.helpers import enrol_elder, staff
    from tests.conftest import PASSWORD, _person, make_net

    net = make_net()
    leader = _person("leader", "street_leader", net.street, "李建国")
    worker = _person("worker", "micro_worker", net.m1, "蔡如欣")
    gridhead = _person("gridhead", "grid_head", net.g1, "张志强")
    since = timezone.now() - dt.timedelta(days=30)
    staff(net, worker, gridhead, since=since)
    out: dict[str, object] = {}
    if args.pair:
        from finegrid.grids.models import Duty
        from finegrid.grids.services import responsibility_assign

        second = _person("worker2", "micro_worker", net.m1, "刘芳")
        responsibility_assign(person=second, duty=Duty.MICRO_WORKER, grid=net.m1, at=since)
        _t, key = ApiToken.issue(user=second, name="two-servers")
        out["worker2"] = {"id": second.pk, "token": key, "username": "worker2"}
    if args.head_shift:
        from finegrid.workforce.models import ShiftKind
        from finegrid.workforce.services_shifts import ShiftSpec, shift_create

        now = timezone.now()
        shift_create(
            spec=ShiftSpec(
                gridhead.pk,
                ShiftKind.EXTENDED,
                net.g1.pk,
                now - dt.timedelta(hours=1),
                now + dt.timedelta(hours=5),
            )
        )
    if args.neighbour:
        from finegrid.grids.models import Duty
        from finegrid.grids.services import responsibility_assign

        other = _person("neighbour", "micro_worker", net.m2, "陈丽")
        responsibility_assign(person=other, duty=Duty.MICRO_WORKER, grid=net.m2, at=since)
        _t, key = ApiToken.issue(user=other, name="two-servers")
        out["neighbour"] = {"id": other.pk, "token": key, "username": "neighbour"}
    elder = enrol_elder(net, leader)
    if args.chain:
        services_enrolment.chain_set(
            actor=leader,
            community=net.c1,
            steps=[
                {"role": "micro_worker", "seconds": args.chain},
                {"role": "grid_head", "seconds": args.chain},
            ],
        )
    _t, worker_token = ApiToken.issue(user=worker, name="two-servers")
    _t, head_token = ApiToken.issue(user=gridhead, name="two-servers")
    print(
        json.dumps(
            {
                "key": elder.button_key,
                "enrolment": elder.enrolment.pk,
                "elder": {"id": elder.elder.pk, "username": elder.elder.username},
                "worker": {"id": worker.pk, "token": worker_token, "username": "worker"},
                "gridhead": {"id": gridhead.pk, "token": head_token, "username": "gridhead"},
                "password": PASSWORD,
                **out,
            }
        )
    )


if __name__ == "__main__":
    main()
