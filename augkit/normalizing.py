"""Normalisation on the facade: ``standardize``, ``fit`` and the normaliser's attributes.

:class:`NormalizationMethods` is the part of
:class:`~augkit.generator.ImageDataGenerator` that hands normalisation to its
:class:`~augkit.normalization.Normalizer` (``generator.normalizer``):
Keras's names of the normalisation options and of the fitted statistics
(``featurewise_center``, ``mean``, ``principal_components``, ...) read and
write them there, ``standardize`` applies them and ``fit`` computes the
statistics, augmenting with the generator's own transform when asked.
"""

import numbers
import warnings

import numpy as np

from augkit.masks import label_mask_warning
from augkit.options import forward_to_normalizer

__all__ = ["NormalizationMethods"]

# Options that change pixel values in standardize (named by fit's label-mask warning).
_NORMALISATION_OPTIONS = ("featurewise_center", "featurewise_std_normalization", "zca_whitening",
                          "samplewise_center", "samplewise_std_normalization", "rescale")


class NormalizationMethods:
    """``standardize``, ``fit`` and the normalisation attributes of ``ImageDataGenerator``.

    The generator sets ``normalizer`` when it is constructed and provides
    ``random_transform`` and the stream of a one-off draw (``_draws``).
    """

    # Normalisation options and statistics live in the Normalizer; Keras's
    # names on the facade read and write them there.
    featurewise_center = forward_to_normalizer("featurewise_center")
    samplewise_center = forward_to_normalizer("samplewise_center")
    featurewise_std_normalization = forward_to_normalizer("featurewise_std_normalization")
    samplewise_std_normalization = forward_to_normalizer("samplewise_std_normalization")
    zca_whitening = forward_to_normalizer("zca_whitening")
    zca_epsilon = forward_to_normalizer("zca_epsilon")
    rescale = forward_to_normalizer("rescale")
    preprocessing_function = forward_to_normalizer("preprocessing_function")
    mean = forward_to_normalizer("mean")
    std = forward_to_normalizer("std")
    principal_components = forward_to_normalizer("principal_components")
    zca_whitening_matrix = forward_to_normalizer("zca_whitening_matrix")

    def standardize(self, x):
        """Apply the normalisation options to one image or a batch (never in place).

        Keras's order: ``preprocessing_function``, ``rescale``, samplewise
        centre/std, featurewise centre/std, ZCA. Iterators apply the same
        normaliser to each sample after its transform (and call this method
        instead if a subclass overrides it). Samplewise statistics are per
        image in the default mode; with a ``compat`` mode they are computed
        over whatever array is given, as Keras does (over the whole batch if
        you pass a batch). See :class:`augkit.normalization.Normalizer`.

        Non-finite values: ``rescale`` and featurewise centre/std contain them
        (a NaN stays one NaN); samplewise centre/std and ZCA refuse them with a
        ``ValueError`` naming the pixel, since they mix every pixel of an image.
        """
        return self.normalizer.standardize(x)

    def fit(self, x, augment=False, rounds=1, seed=None):
        """Compute the featurewise statistics (``mean``, ``std``, ZCA) from data.

        Call it before ``flow`` when a featurewise option or ZCA is on.

        Parameters
        ----------
        x : array_like, rank 4
            Training images in ``data_format``.
        augment : bool
            Fit on ``rounds`` randomly augmented copies of ``x``.
        rounds : int
            Number of augmented passes over ``x`` (at least 1; Keras also
            takes 0 and fits NaN statistics). A ``rounds`` whose augmented copy
            (``rounds * len(x)`` images) would not fit in this machine's memory
            is refused before anything is allocated.
        seed : None, int, or (default mode) numpy.random.Generator
            Makes the augmentation reproducible; see :meth:`stream` for the
            contract every method's ``seed`` follows.

        Warns when ``x`` looks like label masks (at most 32 distinct whole
        values) and a normalisation option is set: the classic recipe's mask
        generator would then turn labels into floats. Use :meth:`flow_pairs`.

        Non-finite values: refused (``ValueError`` counting the NaN and inf
        values and naming the first). Keras silently computes NaN statistics,
        which then turn every standardized image into NaN.
        """
        if not isinstance(augment, (bool, np.bool_)):
            raise TypeError(f"augment={augment!r} must be True or False")
        if isinstance(rounds, bool) or not isinstance(rounds, numbers.Integral):
            raise TypeError(f"rounds={rounds!r} must be an int >= 1 (the number of augmented passes over x)")
        if rounds < 1:
            raise ValueError(f"rounds={rounds!r} must be an int >= 1 (the number of augmented passes over x)")
        stream = self._draws(seed)
        message = label_mask_warning(x, {name: getattr(self, name) for name in _NORMALISATION_OPTIONS})
        if message:
            warnings.warn(message, UserWarning, stacklevel=2)
        continuing = stream.as_seed()  # each image's random_transform continues the stream, as in Keras
        transform = lambda image: self.random_transform(image, seed=continuing)  # noqa: E731
        self.normalizer.fit(x, transform=transform if augment else None, rounds=rounds)
