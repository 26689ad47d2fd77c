"""The queues: the officers' (/officer/) and the duty workers' (/duty/), web pages and a JSON
API over the cases of each desk (behind a login each)."""
