"""Retraining: corpus -> `spacy train` + item classifier -> one pipeline (`train`), and the
measures (`evaluate`)."""
