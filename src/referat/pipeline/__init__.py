"""The spaCy pipeline: the registered components (`components`), assembling them (`assemble`),
the shipped model and how it is found (`model`), and DaCy as an optional base (`dacy`)."""
