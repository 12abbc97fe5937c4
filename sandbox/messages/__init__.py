"""Direct messages: one-to-one threads, delivered live, readable by the class teacher."""
