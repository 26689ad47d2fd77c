"""Commands outside the running assistant: the launcher of make run, and build steps."""
