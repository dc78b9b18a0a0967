"""``ipvsadm -L`` and ``-S``: read the table through the socket options and print it as ipvsadm does.

Rows go straight from the kernel's buffers to text (no records, no
ipaddress); ``--json`` builds records instead.
"""

import sys

from sockctl import ipvs
from sockctl.cli import ipvsadm_format as fmt


def _namer(cmd):
    if cmd.fmt & fmt.NUMERIC:
        return fmt.numeric_name
    from sockctl import netdb, servdb

    return fmt.symbolic_namer(netdb.system(), servdb.system())


def run(cmd, info, ctx) -> int:
    """Print the listing CMD asks for; INFO is what IP_VS_SO_GET_INFO said at start."""
    if cmd.has("timeout"):
        timeouts = ipvs.timeouts()
        return _write(ctx, {"timeouts": timeouts}, fmt.timeout_line(timeouts.tcp, timeouts.tcp_fin, timeouts.udp))
    if cmd.has("daemon"):
        daemons = ipvs.daemons()
        return _write(ctx, {"daemons": daemons}, fmt.daemon_lines(daemons))
    form = cmd.fmt | (fmt.RULE if cmd.cmd == "save" else 0)
    if cmd.has("service-address"):
        rows = [ipvs.service_row((cmd.protocol, cmd.addr, cmd.port, cmd.fwmark))]
        text = ""
    else:
        info, rows = ipvs.service_rows()
        text = "" if form & fmt.RULE else fmt.header(info.version, info.size)
        if not form & fmt.NOSORT:
            rows = fmt.sort_services(rows)
    table = [(row, ipvs.dest_rows(row, row[8])) for row in rows]
    if ctx.json:
        services = []
        for row, dests in table:
            record = ipvs.service_record(row)
            services.append({"service": record, "dests": [ipvs.dest_record(d) for d in dests]})
        return _write(ctx, {"version": info.version_text, "size": info.size, "services": services}, "")
    namer = _namer(cmd)
    sys.stdout.write(text + fmt.title(form) + "".join(fmt.service_block(row, dests, form, namer)
                                                      for row, dests in table))
    return 0


def _write(ctx, document, text: str) -> int:
    if ctx.json:
        from sockctl.cli import jsonout

        text = jsonout.dumps(document)
    sys.stdout.write(text)
    return 0
