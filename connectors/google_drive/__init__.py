"""Google Drive: shared drives and My Drive through the Drive API v3, groups through the Admin
SDK Directory API, with a service account (domain-wide delegation) or an OAuth refresh token."""
