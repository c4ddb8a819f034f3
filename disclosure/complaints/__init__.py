"""Complaints and reports from the public (投诉举报): routing, the rules and the pages.

- ``routing``: which agency a complaint goes to (region and matter);
- ``services``: every rule and every state change (the browser and the API both call it);
- ``forms``, ``views``, ``urls``: the public form and status page, the agency's queue and actions.
"""
