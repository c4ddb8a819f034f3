"""How the indicators are computed: case facts → cells → values (analytics/README.md)."""
