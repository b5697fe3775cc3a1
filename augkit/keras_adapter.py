"""Kept for compatibility: :func:`as_keras_dataset` now lives in :mod:`augkit.keras3`.

augkit's Keras glue has one home, :mod:`augkit.keras3` (the dataset adapter
and the converter to Keras 3 preprocessing layers); ``from
augkit.keras_adapter import as_keras_dataset`` keeps working.
"""

from augkit.keras3.dataset import as_keras_dataset

__all__ = ["as_keras_dataset"]
