"""Server-rendered pages: the public landing page, the role home page, scoped agency and officer pages.

Every queryset goes through lawenforce.access (restrict / get_in_scope_or_404); views stay thin.
"""
