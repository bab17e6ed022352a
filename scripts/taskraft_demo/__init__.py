"""The `make demo` cluster: three taskraftd nodes, their MySQL, the demo supervisor and the UI.

    layout      the addresses, ports and files of one demo (a directory, .demo/ by default)
    ports       which of those addresses are already taken, and by which process
    mysql       each node's MySQL: a private MariaDB server, or a shared TASKRAFT_MYSQL server
    cluster     the processes the demo started, and the faults the supervisor injects into them
    supervisor  the loopback-only HTTP JSON server that lets the UI drive those faults
    ui          the Streamlit UI process (ui/app.py), when the UI exists
    run         `python -m taskraft_demo`: check, build, start, wait for a leader, print, stop
    errors      DemoError (cannot go on), NotFound (HTTP 404), Conflict (HTTP 409)

It reuses the end-to-end harness (tests/e2e/harness: MariaDB, Node, Network, procs), so the demo
and the tests start and fault processes in exactly the same way.
"""
