"""Job offers from the reader's side: search, saved offers, applications and their pipeline."""
