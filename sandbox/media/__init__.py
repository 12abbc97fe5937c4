"""Uploaded images: checked, cleaned, stored under the instance folder."""
