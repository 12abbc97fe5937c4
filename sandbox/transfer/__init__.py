"""Moving a whole class between deployments: `sandbox export-class` and `sandbox import-class`."""
