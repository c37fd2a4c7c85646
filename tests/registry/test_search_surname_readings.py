"""Pinyin search reads a name's first character as a surname: 曾小明 is zxm, 单田芳 stf."""

from __future__ import annotations

from typing import Any

import pytest

from finegrid.registry.models import Person
from finegrid.registry.names import search_keys
from tests.conftest import client_for
from tests.registry.helpers import home_in, register

API = "/api/v1/registry/people"

# (name, its reading as a name) — the twenty polyphonic surnames tried in issue 9, and more
NAMES = [
    ("曾小明", "zengxiaoming"),
    ("单田芳", "shantianfang"),
    ("仇英", "qiuying"),
    ("解晓东", "xiexiaodong"),
    ("翟志刚", "zhaizhigang"),
    ("朴树", "piaoshu"),
    ("区志坚", "ouzhijian"),
    ("查良镛", "zhaliangyong"),
    ("盖聂", "genie"),
    ("缪大明", "miaodaming"),
    ("乐嘉", "yuejia"),
    ("覃凯", "qinkai"),
    ("阚泽", "kanze"),
    ("召忽", "shaohu"),
    ("祭遵", "zhaizun"),
    ("隗嚣", "weixiao"),
    ("万俟卨", "moqixie"),
    ("尉迟恭", "yuchigong"),
    ("单于丹", "chanyudan"),
    ("长孙无忌", "zhangsunwuji"),
]


@pytest.mark.parametrize(("name", "reading"), NAMES)
def test_a_name_is_read_with_its_surname_reading(name: str, reading: str) -> None:
    assert search_keys(name)["name_pinyin"] == reading


def test_the_ordinary_reading_is_kept_as_a_second_key_only_where_it_differs() -> None:
    assert search_keys("曾小明") == {
        "name_pinyin": "zengxiaoming",
        "name_initials": "zxm",
        "name_pinyin_alt": "cengxiaoming",
        "name_initials_alt": "cxm",
    }
    assert search_keys("张三")["name_pinyin_alt"] == ""
    assert search_keys("张三")["name_initials_alt"] == ""


def test_zxm_finds_zeng_xiaoming_and_so_does_the_ordinary_reading(
    net: Any, leader: Any, worker: Any
) -> None:
    home = home_in(net.m1)
    zeng = register(leader, home, "曾小明")
    register(leader, home, "李小梅")  # lxm: found by none of these
    stored = Person.objects.get(pk=zeng.pk)
    assert (stored.name_initials, stored.name_initials_alt) == ("zxm", "cxm")
    for q in ("zxm", "zengxiao", "cxm", "cengxiaoming"):
        body = client_for(worker).get(API, {"q": q}).json()
        assert [p["name"] for p in body["items"]] == ["曾小明"], q


def test_renaming_a_person_reindexes_both_readings(net: Any, leader: Any) -> None:
    from finegrid.registry.services import person_update

    person = register(leader, home_in(net.m1), "张三")
    person_update(actor=leader, person=person, changes={"name": "单田芳"})
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_pinyin_alt) == ("shantianfang", "dantianfang")


def test_the_migration_reads_stored_names_again(net: Any, leader: Any) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("finegrid.registry.migrations.0009_person_surname_readings")
    person = register(leader, home_in(net.m1), "翟志刚")
    # as stored before: the ordinary reading only
    Person.objects.filter(pk=person.pk).update(
        name_pinyin="dizhigang", name_initials="dzg", name_pinyin_alt="", name_initials_alt=""
    )
    migration.reindex_names(apps, None)
    person.refresh_from_db()
    assert (person.name_initials, person.name_initials_alt) == ("zzg", "dzg")
