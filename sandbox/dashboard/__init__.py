"""The teacher's dashboard: the class at a glance, each student's activity against the charter."""
