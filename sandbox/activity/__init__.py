"""Activity events: the append-only log of what each person did."""
