"""iptables-restore: whole tables from the iptables-save format, each one atomic replace.

Unlike iptables-legacy-restore, which commits each table at its COMMIT
line, the input is read whole first: every line is parsed and applied to a
copy of its table before anything reaches the kernel, so a mistake anywhere
(named by its line) changes nothing. Then each table is replaced in turn;
should the kernel refuse one, the tables replaced before it are put back.
"""

import errno
import gc

from sockctl.errors import InputError
from sockctl.netfilter import codec, command as cmdline, kernel, tables
from sockctl.netfilter.edit import TableEdit, TableError
from sockctl.netfilter.execute import execute, for_each
from sockctl.netfilter.model import Counters
from sockctl.netfilter.quick import QuickReader
from sockctl.netfilter.xtables import RuleError


class RestoreError(InputError):
    """A line iptables-restore would stop at; ``line`` is its number."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(f"line {line}: {message}")


class Block:
    """The lines of one table, from *TABLE to COMMIT."""

    def __init__(self, name: str, line: int):
        self.name = name
        self.line = line
        self.steps = []  # (line number, kind, payload)


def split_params(text: str, line: int) -> list[str]:
    """add_param_to_argv: words split at blanks; "..." quotes (ending the word), \\ escapes inside quotes."""
    if '"' not in text:
        params = _words(text)
    elif "\\" not in text:
        params = _quoted_words(text)
    else:
        params = _escaped_words(text)
    if len(params) > 250:
        raise RestoreError(line, "Parser cannot handle more arguments")
    return params


def _words(text: str) -> list[str]:
    if "\t" in text or "\n" in text:
        text = text.replace("\t", " ").replace("\n", " ")
    words = text.split(" ")
    return [word for word in words if word] if "" in words else words


def _quoted_words(text: str) -> list[str]:
    """Words with quotes but no backslash: the pieces between quotes alternate outside and inside."""
    params = []
    pieces = text.split('"')
    last = len(pieces) - 1
    before = ""  # the word a quote opens in: what stands right before it
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            if "\t" in piece or "\n" in piece:
                piece = piece.replace("\t", " ").replace("\n", " ")
            words = piece.split(" ")
            before = words.pop() if index < last else ""
            params += [word for word in words if word]
        else:
            word = before + piece
            if index < last or word:  # a closing quote ends a word even when empty; an open one does not
                params.append(word)
    return params


def _escaped_words(text: str) -> list[str]:
    params, current = [], []
    quote = escaped = False
    for char in text:
        if quote:
            if escaped:
                current.append(char)
                escaped = False
                continue
            if char == "\\":
                escaped = True
                continue
            if char != '"':
                current.append(char)
                continue
            quote = False  # the closing quote ends the word, even an empty one
        elif char == '"':
            quote = True
            continue
        elif char in " \t\n":
            if not current:
                continue
        else:
            current.append(char)
            continue
        params.append("".join(current))
        current = []
    if current:
        params.append("".join(current))
    return params


def parse_lines(text: str, only_table: str | None = None) -> tuple[list, list]:
    """The table blocks of restore input (rules still unchecked), and its comment lines as (number, text)."""
    blocks, comments = [], []
    block = None
    current = None  # the table the last *line named, even when -T skips it
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    for number, line in enumerate(lines, 1):
        if not line:
            continue
        if line[0] == "#":
            comments.append((number, line))
            continue
        if line == "COMMIT" and block is not None:
            blocks.append(block)
            block = None
            continue
        if line[0] == "*" and block is None:
            words = line[1:].split()
            if not words:
                raise RestoreError(number, "table name invalid")
            current = words[0][:32]
            if only_table is None or only_table == current:
                block = Block(current, number)
            continue
        if block is not None:
            block.steps.append((number, ":" if line[0] == ":" else "rule", line))
            continue
        if only_table is not None and current != only_table:
            continue
        raise RestoreError(number, "failed")
    if block is not None:
        raise RestoreError(len(lines) + 1, "COMMIT expected")
    return blocks, comments


def _rule_words(line: str, number: int) -> tuple:
    """The [packets:bytes] a rule line starts with (as two texts, or None) and the words of the rest."""
    if not line.startswith("["):
        return None, split_params(line, number)
    end = line.find("]")
    if end < 0:
        raise RestoreError(number, "Bad line: need ]")
    packets, colon, nbytes = line[1:end].partition(":")
    if not packets or not colon:
        raise RestoreError(number, "Bad line: need :")
    if not nbytes:
        raise RestoreError(number, "Bad line: need ]")
    return (packets, nbytes), split_params(line[end + 1:], number)


def _chain_line(edit: TableEdit, line: str, number: int, noflush: bool, counters: bool) -> None:
    words = line[1:].split()
    if not words:
        raise RestoreError(number, "chain name invalid")
    chain = words[0]
    if len(chain.encode("latin-1", "replace")) >= 29:
        raise RestoreError(number, f"Invalid chain name `{chain}' (28 chars max)")
    if not edit.builtin(chain):
        if noflush and edit.is_chain(chain):
            edit.flush(chain)
        else:
            try:
                edit.create_chain(chain)
            except TableError:
                raise RestoreError(number, f"error creating chain '{chain}':File exists") from None
    if len(words) < 2:
        raise RestoreError(number, "policy invalid")
    policy = words[1]
    if policy == "-":
        return
    count = Counters(0, 0)
    if counters:
        text = words[2] if len(words) > 2 else ""
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else ""
        packets, colon, nbytes = inner.partition(":")
        if not (colon and packets.isdigit() and nbytes.isdigit()):
            raise RestoreError(number, f"invalid policy counters for chain '{chain}'")
        count = Counters(int(packets), int(nbytes))
    try:
        edit.set_policy(chain, policy, count)
    except TableError as exc:
        raise RestoreError(number, f"Can't set policy `{policy}' on `{chain}': {exc}") from None


def apply_block(block: Block, edit: TableEdit, family, oracle, options, write, warn, comments=()) -> None:
    """The changes of one block, made to EDIT (libiptc's handle) as iptables-restore makes them.

    With -v, COMMENTS (a list of (line number, text), consumed) are echoed where they were read.
    """
    noflush, counters, verbose = options["noflush"], options["counters"], options["verbose"]
    if verbose:
        _echo(comments, block.line, write)
    if not noflush:
        for_each(edit, None, True, "Flushing", edit.flush, verbose, write)
        for_each(edit, None, False, "Deleting", edit.delete_chain, verbose, write)
    echo = verbose and not noflush  # -v makes each rule say what it adds (not with --noflush, as iptables)
    reader = None if echo else QuickReader(family.nfproto, block.name, oracle)
    for number, kind, line in block.steps:
        if verbose:
            _echo(comments, number, write)
        if kind == ":":
            _chain_line(edit, line, number, noflush, counters)
            continue
        given, words = _rule_words(line, number)
        try:
            if reader is not None:
                if not counters or given is None:
                    quick = reader.rule(words, None, edit)
                else:
                    quick = reader.rule(words, _counters(given), edit) if _plain(given) else None
                if quick is not None:
                    chain, rules = quick
                    for rule in rules:
                        edit.append(chain, rule)
                    continue
            argv = ["-t", block.name] + ["-v"] * (verbose if echo else 0)
            if counters and given is not None:
                argv += ["--set-counters", *given]
            cmd = cmdline.parse(argv + words, family.nfproto, oracle, block.name, restore=True)
            if not cmd.skip:
                execute(cmd, edit, write, warn)
        except (RuleError, TableError) as exc:
            raise RestoreError(number, str(exc)) from None


def _plain(given: tuple) -> bool:
    """Whether [packets:bytes] are both plain decimal numbers (others go to the full parser)."""
    return all(text.isdigit() and text.isascii() for text in given)


def _counters(given: tuple) -> Counters:
    """[packets:bytes] of plain numbers as -c reads them (counters wrap at 64 bits)."""
    return Counters(int(given[0]) & 0xFFFFFFFFFFFFFFFF, int(given[1]) & 0xFFFFFFFFFFFFFFFF)


def _echo(comments: list, before: int, write) -> None:
    while comments and comments[0][0] < before:
        write(comments.pop(0)[1] + "\n")


def restore(text: str, family, oracle, noflush=False, counters=False, test=False, only_table=None,
            verbose=0, write=None, warn=None) -> None:
    """iptables-restore [-n] [-c] [-t] [-T TABLE] [-v]: TEXT checked whole, then committed table by table."""
    write = write or (lambda s: None)
    collecting = gc.isenabled()
    gc.disable()  # a table's rules are many small objects and no cycles: collections would only cost time
    try:
        _restore(text, family, oracle, noflush, counters, test, only_table, verbose, write, warn)
    finally:
        if collecting:
            gc.enable()


def _restore(text, family, oracle, noflush, counters, test, only_table, verbose, write, warn) -> None:
    blocks, comments = parse_lines(text, only_table)
    options = {"noflush": noflush, "counters": counters, "verbose": verbose}
    with tables.Lock():
        edits = {}  # table -> (info, table as read, TableEdit)
        for block in blocks:
            if block.name not in edits:
                try:
                    edits[block.name] = _edit(family, block.name, noflush)
                except OSError as exc:
                    raise RestoreError(block.line, f"unable to initialize table '{block.name}': "
                                       f"{getattr(exc, 'reason', exc)}") from None
            apply_block(block, edits[block.name][2], family, oracle, options, write, warn, comments)
        if verbose:
            _echo(comments, len(text) + 1, write)
        if test:
            return
        done = []
        try:
            for name, (info, table, edit) in edits.items():
                if edit.changed:
                    _commit(family, name, info, edit, [b for b in blocks if b.name == name], oracle, options)
                    done.append((name, table))
        except BaseException:
            _undo(family, done)
            raise


def _edit(family, name: str, noflush: bool):
    """(info, table as read, TableEdit) of table NAME; without --noflush only its outline is decoded."""
    info, blob = kernel.read(family, name)
    if noflush:
        table = codec.decode_table(family.nfproto, name, info.valid_hooks, info.hook_entry, info.underflow, blob)
        return info, table, TableEdit(table)
    outline, feet, users = codec.outline(family.nfproto, name, info.valid_hooks, info.hook_entry, info.underflow,
                                         blob)
    # The table put back should a later one fail: decoded only if it comes to that.
    return info, _Later(family, name, info, blob), TableEdit.outline(outline, feet, users)


class _Later:
    """A table read but not yet decoded (decoded when a failed restore must put it back)."""

    def __init__(self, family, name, info, blob):
        self.args = (family.nfproto, name, info.valid_hooks, info.hook_entry, info.underflow, blob)

    def decode(self):
        return codec.decode_table(*self.args)


def _commit(family, name, info, edit, blocks, oracle, options) -> None:
    for attempt in range(tables.RETRIES):
        try:
            tables.commit(family, info, edit)
            return
        except OSError as exc:
            if exc.errno != errno.EAGAIN or attempt == tables.RETRIES - 1:
                raise
        info, _, edit = _edit(family, name, options["noflush"])
        for block in blocks:
            apply_block(block, edit, family, oracle, options, lambda s: None, None)


def _undo(family, done) -> None:
    """Put back the tables replaced before a later one failed: their rules, with the counters they had."""
    for name, table in reversed(done):
        try:
            info = kernel.get_info(family, name)
            edit = TableEdit(table.decode() if isinstance(table, _Later) else table)
            edit.keep_counters()
            tables.commit(family, info, edit)
        except OSError:
            pass  # the error being reported matters more; the table stays as replaced
