"""augkit and Keras 3: one home for the glue.

* :func:`as_keras_dataset` hands an augkit iterator to ``model.fit``
  (:mod:`augkit.keras3.dataset`; also importable from
  ``augkit.keras_adapter`` and ``augkit``).
* :func:`to_keras_layers`, :func:`layers_code` and :func:`migration_report`
  port an ``ImageDataGenerator`` configuration to Keras 3 preprocessing
  layers and say, measured, what changes (:mod:`augkit.keras3.convert`).
* :mod:`augkit.keras3.measure` draws the same quantities from a generator
  and from the layers and compares their distributions.

keras is imported only inside the functions that need it: augkit itself
does not need keras.
"""

from augkit.keras3.convert import LayerSpec, MigrationReport, Row, layers_code, migration_report, plan, to_keras_layers
from augkit.keras3.dataset import as_keras_dataset

__all__ = ["LayerSpec", "MigrationReport", "Row", "as_keras_dataset", "layers_code", "migration_report", "plan",
           "to_keras_layers"]
