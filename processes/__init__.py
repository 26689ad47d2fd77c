"""Starting the project's servers as processes (Rasa, the action server, the web site):
free ports, the commands, waiting until a server answers. Used by the launcher of
`make run`, the workbench's practice action server, scoring runs, benchmarks, the
production profile and tests."""
