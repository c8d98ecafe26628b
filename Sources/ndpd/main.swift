print("ndpd")
