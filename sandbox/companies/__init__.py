"""Companies: the fictional employers of the network and their job offers."""
