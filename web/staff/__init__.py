"""The staff workbench: try a question, see why the assistant answered so, review it."""
