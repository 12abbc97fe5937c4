"""One search box for people, companies and hashtags, respecting what each viewer may see."""
