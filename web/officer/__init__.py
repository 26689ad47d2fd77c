"""The officers' queue: a web page and a JSON API over the cases (behind a login)."""
