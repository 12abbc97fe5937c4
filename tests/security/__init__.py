"""Security tests across features: CSRF, stored XSS, sessions, uploads, sockets, fuzzing."""
