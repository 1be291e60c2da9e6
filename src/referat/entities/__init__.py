"""Entities in minutes, as plain functions: amounts (`amounts`), parties (`parties`), context rules
(`rules`), tidying after the NER (`tidy`), decisions and votes (`decisions`)."""
