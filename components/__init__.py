"""Custom Rasa graph components of the privacy-notice assistant.

Importing them (which every process that loads this project's model does: `rasa run`,
the workbench, the evaluation) also puts in the speed-up Rasa needs for its action
server calls (speedups/action_response_validation.py). A model trained with Rasa's
stock pipeline does not import this package, so `make bench`'s stock peer stays stock.
"""

from speedups import action_response_validation

action_response_validation.install()
