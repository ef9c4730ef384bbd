"""Steps of the site build, called by build.py."""
