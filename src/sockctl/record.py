"""Frozen value classes for everything sockctl hands back.

A ``Record`` subclass declares typed fields as annotations (optionally with a
default), exactly as a ``@dataclass(frozen=True, slots=True)`` would, and gets
the same behaviour: an ``__init__`` taking the fields in order or by name,
``repr``, equality and hashing by value, immutability, ``replace()`` and
``fields()``. ``sockctl.cli.jsonout`` serialises them.

Why not the dataclasses module itself: importing it pulls in ``inspect`` and
costs more start-up time than the whole budget of a one-interface listing
(see README, performance). This module imports nothing.
"""

_MISSING = object()


class FrozenError(AttributeError):
    """Raised on an attempt to change a field of a Record."""


class _RecordMeta(type):
    def __new__(mcls, name, bases, namespace):
        annotations = namespace.get("__annotations__")
        if annotations is None and callable(namespace.get("__annotate__")):  # Python 3.14+
            annotations = namespace["__annotate__"](1)
        own = [n for n in annotations or {} if not n.startswith("_")]
        inherited = [f for base in bases for f in getattr(base, "_fields", ())]
        defaults = {}
        for base in bases:
            defaults.update(getattr(base, "_defaults", {}))
        for field in own:
            if field in namespace:
                defaults[field] = namespace.pop(field)
        fields = tuple(inherited + own)
        namespace["__slots__"] = tuple(own)
        namespace["_fields"] = fields
        namespace["_defaults"] = defaults
        namespace["__match_args__"] = fields
        cls = super().__new__(mcls, name, bases, namespace)
        if fields:
            cls.__init__ = _make_init(fields, defaults, name)
        return cls


def _make_init(fields, defaults, class_name):
    # One compiled __init__ per class, as dataclasses does: as fast as hand-written.
    params, seen_default = [], False
    for field in fields:
        if field in defaults:
            params.append(f"{field}=_d_{field}")
            seen_default = True
        elif seen_default:
            raise TypeError(f"{class_name}: field {field!r} without a default follows one with a default")
        else:
            params.append(field)
    body = "\n".join(f"    _set(self, {f!r}, {f})" for f in fields)
    source = f"def __init__(self, {', '.join(params)}):\n{body}\n"
    scope = {"_set": object.__setattr__, **{f"_d_{k}": v for k, v in defaults.items()}}
    exec(source, scope)
    init = scope["__init__"]
    init.__qualname__ = f"{class_name}.__init__"
    return init


class Record(metaclass=_RecordMeta):
    """Base of sockctl's result and request types."""

    __slots__ = ()

    def __setattr__(self, name, value):
        raise FrozenError(f"cannot assign to field {name!r} of {type(self).__name__}")

    def __delattr__(self, name):
        raise FrozenError(f"cannot delete field {name!r} of {type(self).__name__}")

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._fields)

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self):
        return hash((type(self).__name__, self._values()))

    def __reduce__(self):
        return type(self), self._values()


def fields(record) -> tuple[str, ...]:
    """The field names of a Record class or instance, in order."""
    return record._fields


def replace(record, **changes):
    """A copy of RECORD with some fields changed."""
    unknown = set(changes) - set(record._fields)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no field {sorted(unknown)[0]!r}")
    values = {f: getattr(record, f) for f in record._fields}
    values.update(changes)
    return type(record)(**values)


def is_record(value) -> bool:
    return isinstance(value, Record)
