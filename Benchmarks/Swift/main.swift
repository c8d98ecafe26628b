print("ndpd-bench: not yet")
