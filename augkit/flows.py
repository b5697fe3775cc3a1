"""``ImageDataGenerator``'s ``flow*`` methods: Keras's signatures, each making an iterator.

:class:`FlowMethods` is the part of the facade that hands data to
:mod:`augkit.iterators`: each method passes its arguments and the
generator itself to the iterator's constructor, which takes the
generator's augmenter, normalizer and a stream of its own (and never calls
back into the generator while building a batch). ``ImageDataGenerator``
inherits these methods; nothing else does.
"""

__all__ = ["FlowMethods"]


class FlowMethods:
    """The ``flow``, ``flow_pairs``, ``flow_from_directory``, ``flow_pairs_from_directory`` and
    ``flow_from_dataframe`` methods of :class:`~augkit.generator.ImageDataGenerator`."""

    def flow(self, x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
             save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
             subset=None, workers=None, *, mix=None, mix_alpha=None):
        """Batches of augmented images from arrays: a :class:`~augkit.iterators.NumpyArrayIterator`.

        ``x`` is a rank-4 array (or ``(images, extra)``), never copied;
        ``workers`` threads augment each batch (default: all cores). In the
        default mode each sample's transform depends only on ``(seed, epoch,
        index)``: see :mod:`augkit.iterators`. With ``validation_split`` and
        ``subset``, note that the validation subset is augmented too.

        ``y`` and ``sample_weight`` are arrays or sequences with one entry per
        image (a scalar, dict, set, str or generator is a TypeError);
        ``batch_size`` an int >= 1 (above ``len(x)`` it gives one batch, as in
        Keras); ``seed`` None, an int >= 0 or (default mode) a Generator,
        below 2**32 in the compat modes, as :meth:`stream` says, checked
        here rather than at the first batch.

        A batch holds images of the input's size, or of ``crop_size`` when the
        generator crops (:mod:`augkit.spec_crop`). ``mix="mixup"`` or
        ``"cutmix"`` (keyword-only, default mode only) mixes each sample with
        a partner of the dataset, images and one-hot ``y`` by the same weight
        ``lam ~ Beta(mix_alpha, mix_alpha)`` (``mix_alpha`` 0.2 for MixUp,
        1.0 for CutMix when not given), drawn from ``(seed, epoch, index)``:
        see :mod:`augkit.iterators.mixing_stage`.
        """
        from augkit.iterators import NumpyArrayIterator
        from augkit.iterators.mixing_stage import attach, mix_stage

        stage = mix_stage(self, mix, mix_alpha, "flow")  # checked before the iterator is built
        return attach(NumpyArrayIterator(
            x, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format, subset=subset,
            ignore_class_split=ignore_class_split, workers=workers), stage)

    def flow_pairs(self, x, masks, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None,
                   save_to_dir=None, save_prefix="", save_format="png", ignore_class_split=False,
                   subset=None, workers=None, *, mask_fill_mode="constant", mask_cval=0, mix=None,
                   mix_alpha=None):
        """Batches of ``(images, masks)`` augmented together: a :class:`~augkit.iterators.PairedArrayIterator`.

        Each sample's transform is sampled once and applied to both; masks
        are warped by nearest neighbour and filled with ``mask_cval``
        (0, background), and keep their dtype and labels exactly. Intensity
        options and normalisation touch the images only. With ``y`` a batch
        is ``(x, (masks, y))``; ``sample_weight`` comes last. See
        :mod:`augkit.segmentation`.

        The arguments are :meth:`flow`'s, in :meth:`flow`'s order, with
        ``masks`` after ``x``: a call written for ``flow`` (Keras's order,
        ``sample_weight`` before ``seed``, ``ignore_class_split`` before
        ``subset``) works here with the masks added. The mask options
        ``mask_fill_mode`` and ``mask_cval`` are keyword-only, as are
        ``mix="cutmix"`` and ``mix_alpha`` (the partner's mask box is pasted
        too; ``mix="mixup"`` is refused with masks), as in :meth:`flow`.
        """
        from augkit.iterators import PairedArrayIterator
        from augkit.iterators.mixing_stage import attach, mix_stage

        stage = mix_stage(self, mix, mix_alpha, "flow_pairs")
        return attach(PairedArrayIterator(
            x, masks, y, self, batch_size=batch_size, shuffle=shuffle, sample_weight=sample_weight,
            seed=seed, save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            subset=subset, ignore_class_split=ignore_class_split, mask_fill_mode=mask_fill_mode,
            mask_cval=mask_cval, workers=workers), stage)

    def flow_pairs_from_directory(self, image_directory, mask_directory, target_size=(256, 256),
                                  color_mode="rgb", mask_color_mode="grayscale", batch_size=32, shuffle=True,
                                  seed=None, save_to_dir=None, save_prefix="", save_format="png",
                                  follow_links=False, subset=None, interpolation="nearest",
                                  keep_aspect_ratio=False, mask_fill_mode="constant", mask_cval=0,
                                  workers=None, *, mix=None, mix_alpha=None):
        """``(images, masks)`` from two folders, files paired by name: a
        :class:`~augkit.iterators.PairedDirectoryIterator`.

        Masks are resized by nearest neighbour and augmented as in
        :meth:`flow_pairs`; an image without a mask (or a mask without an
        image) is an error naming the files. ``mix="cutmix"`` and
        ``mix_alpha`` (keyword-only, default mode only) paste a partner's
        box into image and mask alike, as in :meth:`flow_pairs`;
        ``mix="mixup"`` is refused (masks cannot be blended).
        """
        from augkit.iterators import PairedDirectoryIterator
        from augkit.iterators.mixing_stage import attach, mix_stage

        stage = mix_stage(self, mix, mix_alpha, "flow_pairs_from_directory")  # before the folders are walked
        return attach(PairedDirectoryIterator(
            image_directory, mask_directory, self, target_size=target_size, color_mode=color_mode,
            mask_color_mode=mask_color_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            follow_links=follow_links, subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, mask_fill_mode=mask_fill_mode, mask_cval=mask_cval,
            workers=workers), stage)

    def flow_from_directory(self, directory, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="png", follow_links=False,
                            subset=None, interpolation="nearest", keep_aspect_ratio=False,
                            workers=None, *, mix=None, mix_alpha=None):
        """Batches from a folder of class subfolders: a :class:`~augkit.iterators.DirectoryIterator`.

        **The validation subset is augmented too** when this generator
        augments: for validation use a second generator with the same
        ``validation_split`` and no random options.

        ``mix="mixup"`` or ``"cutmix"`` and ``mix_alpha`` (keyword-only,
        default mode only) mix each sample with a partner file as
        :meth:`flow` mixes arrays, images and labels by one weight drawn from
        ``(seed, epoch, index)``; only ``class_mode="categorical"`` labels
        (one-hot) can be mixed, the other class modes are refused by name.
        See :mod:`augkit.iterators.mixing_stage`.
        """
        from augkit.iterators import DirectoryIterator
        from augkit.iterators.mixing_stage import attach, mix_stage

        stage = mix_stage(self, mix, mix_alpha, "flow_from_directory")  # before the folder is walked
        return attach(DirectoryIterator(
            directory, self, target_size=target_size, color_mode=color_mode, classes=classes,
            class_mode=class_mode, batch_size=batch_size, shuffle=shuffle, seed=seed,
            save_to_dir=save_to_dir, save_prefix=save_prefix, save_format=save_format,
            follow_links=follow_links, subset=subset, interpolation=interpolation,
            keep_aspect_ratio=keep_aspect_ratio, workers=workers), stage)

    def flow_from_dataframe(self, dataframe, directory=None, x_col="filename", y_col="class",
                            weight_col=None, target_size=(256, 256), color_mode="rgb", classes=None,
                            class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                            save_to_dir=None, save_prefix="", save_format="png", subset=None,
                            interpolation="nearest", validate_filenames=True, keep_aspect_ratio=False,
                            workers=None, *, mix=None, mix_alpha=None):
        """Batches of the files a pandas DataFrame lists: a :class:`~augkit.iterators.DataFrameIterator`.

        pandas is needed only here. Class modes as in Keras, ``raw`` and
        ``multi_output`` included. ``mix`` and ``mix_alpha`` (keyword-only)
        as in :meth:`flow_from_directory`: ``class_mode="categorical"`` is
        mixed, and so are ``"raw"`` and each ``"multi_output"`` output
        whose ``y_col`` columns hold soft labels ``(n, classes)`` in [0, 1].
        """
        from augkit.iterators import DataFrameIterator
        from augkit.iterators.mixing_stage import attach, mix_stage

        stage = mix_stage(self, mix, mix_alpha, "flow_from_dataframe")  # before the files are checked
        return attach(DataFrameIterator(
            dataframe, directory, self, x_col=x_col, y_col=y_col, weight_col=weight_col,
            target_size=target_size, color_mode=color_mode, classes=classes, class_mode=class_mode,
            batch_size=batch_size, shuffle=shuffle, seed=seed, save_to_dir=save_to_dir,
            save_prefix=save_prefix, save_format=save_format, subset=subset,
            interpolation=interpolation, keep_aspect_ratio=keep_aspect_ratio,
            validate_filenames=validate_filenames, workers=workers), stage)
