"""Loading the fictional school from the data files in seed/: validated, then upserted."""
