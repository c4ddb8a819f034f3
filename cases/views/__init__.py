"""The officer's pages for cases and the legal-review queue. Thin: every queryset goes through
lawenforce.access, every change through cases.workflow (cases/README.md)."""
