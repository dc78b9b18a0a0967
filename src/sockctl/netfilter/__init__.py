"""Netfilter's socket-option channel: x_tables (iptables-legacy, ip6tables-legacy).

``model`` is the typed table, ``codec`` turns kernel blobs into it and back,
``kernel`` does the socket-option I/O, ``extensions`` holds one small codec
per match or target, and ``tables`` edits and commits tables as iptables
does.
"""
