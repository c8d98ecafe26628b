// The `ndpd` executable: argument parsing only; the work lives in NDPDaemon.
NDPCommand.main()
