"""The engine's version, shown in every result and in the site's footer."""

ENGINE_VERSION = "0.3.0"
