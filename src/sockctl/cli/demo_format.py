"""Text output of ``sockctl demo``, from the demo modules' results (pure)."""

from sockctl.cli.payload import text as _bytes_text
from sockctl.demo_kv import KvInfo, KvRecord


def info_text(info: KvInfo) -> str:
    return (f"version {info.version}\n"
            f"base {info.base}\n"
            f"records {info.records} of {info.max_records}\n"
            f"key size {info.key_max}\n"
            f"value size {info.value_max}\n"
            f"message {info.msg_len} of {info.msg_max} bytes\n")


def records_text(records: list[KvRecord], hex_digits: bool) -> str:
    """KEY, VALUE and revision, tab-separated, one record a line."""
    return "".join(f"{_bytes_text(r.key, hex_digits)}\t{_bytes_text(r.value, hex_digits)}\t{r.revision}\n"
                   for r in records)


def counters_text(values: tuple[int, ...]) -> str:
    return "".join(f"{index} {value}\n" for index, value in enumerate(values))


def text(out, hex_digits: bool) -> str:
    """Any result of a demo command as the lines it prints."""
    if isinstance(out, KvInfo):
        return info_text(out)
    if isinstance(out, KvRecord):
        return _bytes_text(out.value, hex_digits) + "\n"
    if isinstance(out, list):
        return records_text(out, hex_digits)
    if isinstance(out, tuple):
        return counters_text(out)
    if isinstance(out, bytes):
        return _bytes_text(out, hex_digits) + "\n"
    return f"{out}\n"
