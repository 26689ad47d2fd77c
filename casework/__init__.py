"""Cases for the officers: requests and safety concerns, kept in SQL, mailed to the team."""
