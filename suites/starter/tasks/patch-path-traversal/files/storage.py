"""Reads documents from a base folder."""
import os


def read_document(base, name):
    """The text of document `name` inside folder `base`."""
    path = os.path.join(base, name)
    with open(path) as f:
        return f.read()
