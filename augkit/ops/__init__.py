"""Operations beyond ``ImageDataGenerator`` (issue 18): crops and random erasing.

Each module holds deterministic kernels (handed their parameters, never
drawing) and samplers that turn uniforms in [0, 1) into those parameters, so
a counter-based stream can feed them. Batch-level mixing (MixUp, CutMix) is
in :mod:`augkit.mixing`.
"""
