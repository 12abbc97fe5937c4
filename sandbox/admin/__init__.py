"""Administration of the deployment: staff accounts."""
