"""Sign-in for both areas of the site: accounts, signed session cookies, login pages."""
