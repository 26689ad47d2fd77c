"""Starting the project's servers as processes (Rasa, the action server, the web site) for
launchers, scoring runs, benchmarks, the production profile and tests: free ports, the
commands, waiting until a server answers. Tooling: nothing that runs imports it."""
