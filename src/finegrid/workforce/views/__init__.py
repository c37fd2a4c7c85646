"""The workforce pages under /workforce/; each part adds its url patterns in ``urls.py``."""
