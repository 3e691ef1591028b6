"""People who sign in, and the role groups they belong to."""
