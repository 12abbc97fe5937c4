"""Groups (communities): members, topics, a directory and a group feed."""
