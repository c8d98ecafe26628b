// End-to-end tests in network namespaces live here (issue 4).
