"""Small pieces every feature shares: time, errors, resource folders."""
