"""The home page: the network's latest news for students, the classes for teachers."""
