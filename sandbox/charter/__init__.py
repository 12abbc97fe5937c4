"""The class charter: its rules (and, later, the engine that checks texts against them)."""
