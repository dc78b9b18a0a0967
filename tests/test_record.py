"""The Record base: what a frozen, slotted dataclass would do."""

import pickle

import pytest

from sockctl.record import FrozenError, Record, fields, replace


class Point(Record):
    x: int
    y: int = 0
    label: str = "p"


class Point3(Point):
    z: int = 9


def test_init_positional_keyword_and_defaults():
    assert Point(1) == Point(x=1, y=0, label="p")
    assert Point(1, 2, "q").label == "q"
    with pytest.raises(TypeError):
        Point()
    with pytest.raises(TypeError):
        Point(1, nonsense=3)


def test_value_semantics():
    a, b = Point(1, 2), Point(1, 2)
    assert a == b and hash(a) == hash(b) and a is not b
    assert Point(1, 2) != Point(2, 1)
    assert repr(a) == "Point(x=1, y=2, label='p')"
    assert {a: 1}[b] == 1


def test_frozen_and_slotted():
    p = Point(1)
    with pytest.raises(FrozenError):
        p.x = 5
    with pytest.raises(FrozenError):
        del p.x
    with pytest.raises((AttributeError, TypeError)):
        p.__dict__  # noqa: B018  (slots: no instance dict)


def test_fields_replace_pickle_and_inheritance():
    assert fields(Point) == ("x", "y", "label")
    assert replace(Point(1), y=7) == Point(1, 7)
    with pytest.raises(TypeError):
        replace(Point(1), w=1)
    assert pickle.loads(pickle.dumps(Point(3, 4))) == Point(3, 4)
    p3 = Point3(1)
    assert fields(p3) == ("x", "y", "label", "z") and p3.z == 9
    assert p3 != Point(1)  # a different type never compares equal


def test_match_args():
    match Point(5, 6):
        case Point(x, y):
            assert (x, y) == (5, 6)


def test_field_without_default_after_one_with_default_is_refused():
    with pytest.raises(TypeError):
        class Bad(Record):
            a: int = 1
            b: int
