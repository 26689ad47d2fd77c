"""The kinds of request a family can make through the chat (SECTIONS.md, `handoff`).

Each is an intent `request_<kind>` (data/nlu/requests/), a case's `request` and a
handoff reply's `custom.request`.
"""

REQUEST_TYPES = ("access", "rectification", "erasure", "restriction", "objection",
                 "portability", "withdraw_consent", "complaint", "human")
