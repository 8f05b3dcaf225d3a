"""GitHub: issues, pull requests and text files of repositories (see connector.py)."""
