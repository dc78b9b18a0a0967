"""Command-line front ends: one module per classic tool, plus the entry point.

A command module parses its tool's arguments, calls the domain modules and
formats text or JSON. It holds no kernel ABI.
"""
