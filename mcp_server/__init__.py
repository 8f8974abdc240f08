"""Relay's MCP service: skills over MCP (tools and the Skills extension), usage into DuckDB.

The package imports `registry` and nothing imports it back; `relay serve` and
`relay usage` reach it through the `relay.commands` entry points.
"""
