"""A whole deployment's backup (`sandbox backup`) and its restore (`sandbox restore`)."""
