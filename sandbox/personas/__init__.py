"""Personas: fictional professionals of the seeded companies, played by the app or a teacher."""
