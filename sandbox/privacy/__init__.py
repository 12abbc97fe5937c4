"""Data rights: a student's data as an archive, and erasing a student."""
