"""Usage: events from the request path into DuckDB (writer), and aggregates out (report)."""
