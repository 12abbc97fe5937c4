"""Posts: status updates. The feed, comments and likes build on this table."""
