"""The network: who sees whom (scope), and later invitations, connections and follows."""
