"""The item classifier: features drawn from an item's parts and a scikit-learn Pipeline (`classifier`)."""
