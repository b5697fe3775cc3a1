"""Iterators over image files: ``flow_from_directory`` and ``flow_from_dataframe``.

They share :class:`augkit.iterators.BatchIterator`'s batching, shuffling,
workers and random draws (see :mod:`augkit.iterators`), find their files
through :mod:`augkit.files` and serve them through a
:class:`~augkit.iterators.sources.FileSource`, which decodes each file
once (:mod:`augkit.decode`) and makes the labels. Attributes and label
formats are Keras's.
"""

import numbers
import os
import warnings

import numpy as np

from augkit.decode import BATCH, CHANNELS, COLOR_MODES, INTERPOLATIONS, KERAS
from augkit.files import IMAGE_EXTENSIONS, find_classes, is_image_name, list_class_files, split_range
from augkit.iterators.arguments import check_save_args, check_subset
from augkit.iterators.batches import BatchIterator
from augkit.iterators.sources import FileSource
from augkit.limits import check_memory

#: The decode rule a convention's ``decode`` fact names.
_DECODE_RULES = {"batch": BATCH, "keras": KERAS}

__all__ = ["DataFrameIterator", "DirectoryIterator", "FileIterator"]

DIRECTORY_CLASS_MODES = ("categorical", "binary", "sparse", "input", None)
DATAFRAME_CLASS_MODES = ("categorical", "binary", "sparse", "input", "raw", "multi_output", None)


def _check_target_size(target_size):
    if (not isinstance(target_size, (tuple, list)) or len(target_size) != 2
            or any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1
                   for s in target_size)):
        raise ValueError(f"target_size={target_size!r} must be a pair of positive ints (rows, cols), "
                         "i.e. (height, width)")
    return (int(target_size[0]), int(target_size[1]))


def _check_option(value, name, accepted):
    if value not in accepted or isinstance(value, bool):
        raise ValueError(f"{name}={value!r} is not supported; use one of "
                         f"{', '.join(map(repr, accepted))}")
    return value


class FileIterator(BatchIterator):
    """Batches of image files: the common part of the directory and dataframe iterators.

    Subclasses call :meth:`_setup_processing` first, then set ``filenames``
    (relative to ``directory``), ``_filepaths``, ``classes`` (the class
    index of each file, or a list of them for multi-label dataframes) and
    ``class_indices``, and finally call ``BatchIterator.__init__`` with
    :meth:`_file_source`.
    """

    hash_range = 10**7  # Keras's range for file iterators
    white_list_formats = tuple(suffix[1:] for suffix in IMAGE_EXTENSIONS)  # Keras's attribute

    def _setup_processing(self, generator, target_size, color_mode, class_mode, allowed_modes,
                          save_to_dir, save_prefix, save_format, interpolation, keep_aspect_ratio):
        self.target_size = _check_target_size(target_size)
        self.color_mode = _check_option(color_mode, "color_mode", tuple(COLOR_MODES))
        # Before the folder is walked (which can take long): one image must fit.
        rows, cols = self.target_size
        channels = CHANNELS[self.color_mode]
        check_memory(rows * cols * channels * generator.dtype.itemsize,
                     f"target_size={self.target_size} (one {rows}x{cols}x{channels} image, "
                     f"{generator.dtype.name})")
        self.class_mode = _check_option(class_mode, "class_mode", allowed_modes)
        self.interpolation = _check_option(interpolation, "interpolation", tuple(INTERPOLATIONS))
        if not isinstance(keep_aspect_ratio, (bool, np.bool_)):
            raise TypeError(f"keep_aspect_ratio must be True or False; got {keep_aspect_ratio!r}")
        self.keep_aspect_ratio = bool(keep_aspect_ratio)
        self.image_shape = (self.target_size + (channels,) if generator.data_format == "channels_last"
                            else (channels,) + self.target_size)
        self.save_to_dir = check_save_args(save_to_dir, save_prefix, save_format)
        self.save_prefix, self.save_format = save_prefix, save_format

    @property
    def filepaths(self):
        """Paths of the files, ``os.path.join(directory, filename)``, in ``filenames`` order."""
        return self._filepaths

    def _file_source(self, generator, paths=None, color_mode=None, interpolation=None, rule=None,
                     image_shape=None):
        """A :class:`~augkit.iterators.sources.FileSource` of ``paths`` (default: this iterator's files).

        Pixels keep the file's integer dtype (the batch converts them). In
        the compat modes files are decoded by Keras's own rule
        (:data:`~augkit.decode.KERAS`), otherwise by :data:`~augkit.decode.BATCH`:
        the convention's ``decode`` fact says which.
        """
        own = paths is None
        decoding = {"color_mode": color_mode or self.color_mode, "target_size": self.target_size,
                    "interpolation": interpolation or self.interpolation,
                    "keep_aspect_ratio": self.keep_aspect_ratio, "data_format": generator.data_format,
                    "rule": rule or _DECODE_RULES[generator.convention.decode]}
        if not own:
            return FileSource(paths, image_shape, decoding)
        return FileSource(self._filepaths, self.image_shape, decoding, class_mode=self.class_mode,
                          classes=getattr(self, "classes", ()), num_classes=len(self.class_indices),
                          labels=getattr(self, "_targets", None), sample_weight=self.sample_weight,
                          dtype=generator.dtype)


class DirectoryIterator(FileIterator):
    """Batches from a folder with one subfolder per class: ``flow_from_directory``.

    Attributes (as in Keras)
    ------------------------
    class_indices : dict
        Class name -> index; classes sorted by folder name unless ``classes``
        gives the order.
    filenames : list of str
        Paths relative to ``directory`` (``class/.../file``), in Keras's
        order: classes in order; within a class, folders sorted by path and
        each folder's own files sorted, so a class folder's own files come
        before its subfolders'. Subfolders are included.
    classes, labels : ndarray of int32
        The class index of each file.
    filepaths : list of str
        ``os.path.join(directory, filename)``.
    samples, n, num_classes : int

    Notes
    -----
    With ``subset``, the first ``int(validation_split * n)`` files of each
    class are the validation subset. **It is augmented too** when the
    generator augments; validate with a second generator that has the same
    ``validation_split`` and no random options.

    Differences from Keras, each where Keras fails silently: an empty tree, a
    tree without class subfolders, a name in ``classes`` that is no
    subfolder, and ``class_mode='binary'`` with other than two classes are
    errors; ``class_mode=None`` with the images directly in ``directory``
    reads them (Keras finds none, keras#3946); symlink loops are walked once;
    a class folder without images warns. Unreadable images raise
    :class:`~augkit.image_io.ImageFileError` naming the file when their batch
    is built (augkit never skips them silently).
    """

    allowed_class_modes = set(DIRECTORY_CLASS_MODES)

    def __init__(self, directory, image_data_generator, target_size=(256, 256), color_mode="rgb",
                 classes=None, class_mode="categorical", batch_size=32, shuffle=True, seed=None,
                 save_to_dir=None, save_prefix="", save_format="png", follow_links=False, subset=None,
                 interpolation="nearest", keep_aspect_ratio=False, workers=None):
        gen = image_data_generator
        self._setup_processing(gen, target_size, color_mode, class_mode, DIRECTORY_CLASS_MODES,
                               save_to_dir, save_prefix, save_format, interpolation, keep_aspect_ratio)
        self.directory = directory
        self.subset = subset
        self.split = check_subset(subset, gen)
        class_names = find_classes(directory, classes, class_mode)
        if class_mode == "binary" and len(class_names) != 2:
            raise ValueError(f"class_mode='binary' needs exactly 2 classes; found {len(class_names)}: "
                             f"{class_names}. Use 'categorical' or 'sparse' for more")
        self.num_classes = len(class_names)
        self.class_indices = {name: index for index, name in enumerate(class_names)}
        self.filenames, self.classes = list_class_files(directory, class_names, self.split, follow_links)
        self.samples = len(self.filenames)
        if self.samples == 0:
            where = f" in subset={subset!r}" if subset else ""
            raise ValueError(f"found no images{where} under '{os.fspath(directory)}' (classes "
                             f"{class_names}; accepted suffixes {', '.join(IMAGE_EXTENSIONS)})")
        self._filepaths = [os.path.join(os.fspath(directory), name) for name in self.filenames]
        print(f"Found {self.samples} images belonging to {self.num_classes} classes.")
        super().__init__(self._file_source(gen), batch_size, shuffle, seed, gen, workers)

    @property
    def labels(self):
        return self.classes

    sample_weight = None


class DataFrameIterator(FileIterator):
    """Batches of the files listed in a pandas DataFrame: ``flow_from_dataframe``.

    Follows Keras 3's ``DataFrameIterator``: rows whose file is missing or
    has no image suffix are dropped with a warning (``validate_filenames``);
    class modes ``categorical`` (a str or a list of str per row),
    ``binary``/``sparse`` (str), ``raw`` (the ``y_col`` values as they are),
    ``multi_output`` (a list of columns), ``input`` and None. The subset
    split is taken over the whole frame after filtering (not per class).

    With ``directory`` given, file names that lead out of it (absolute
    paths, or ``..`` climbing above it) are read from where they lead, as
    Keras reads them, but with a :class:`UserWarning` naming the column,
    their count and an example: a shared CSV may point anywhere. Keras
    warns about nothing here. With ``directory=None`` the names are used as
    they are (absolute paths are the documented use) and nothing is said.
    """

    allowed_class_modes = set(DATAFRAME_CLASS_MODES)

    def __init__(self, dataframe, directory=None, image_data_generator=None, x_col="filename",
                 y_col="class", weight_col=None, target_size=(256, 256), color_mode="rgb", classes=None,
                 class_mode="categorical", batch_size=32, shuffle=True, seed=None, save_to_dir=None,
                 save_prefix="", save_format="png", subset=None, interpolation="nearest",
                 keep_aspect_ratio=False, validate_filenames=True, workers=None):
        pd = _import_pandas()
        gen = image_data_generator
        self._setup_processing(gen, target_size, color_mode, class_mode, DATAFRAME_CLASS_MODES,
                               save_to_dir, save_prefix, save_format, interpolation, keep_aspect_ratio)
        if not isinstance(dataframe, pd.DataFrame):
            raise TypeError(f"dataframe must be a pandas DataFrame; got {type(dataframe).__name__}")
        self.directory = "" if directory is None else os.fspath(directory)
        self.subset = subset
        self.split = check_subset(subset, gen)
        frame = dataframe.copy()
        _check_frame(frame, x_col, y_col, weight_col, classes, class_mode)
        if validate_filenames:
            frame = self._valid_rows(frame, x_col)
        labelled = class_mode not in ("input", "multi_output", "raw", None)
        if labelled:
            frame, classes = _filter_classes(frame, y_col, classes)
            self.class_indices = {name: index for index, name in enumerate(classes)}
        else:
            self.class_indices = {}
        self.num_classes = len(self.class_indices)
        start, stop = split_range(len(frame), self.split)
        frame = frame.iloc[start:stop]
        if labelled:
            self.classes = [[self.class_indices[v] for v in label] if isinstance(label, (list, tuple))
                            else self.class_indices[label] for label in frame[y_col]]
        self.filenames = frame[x_col].tolist()
        _warn_outside(self.filenames, self.directory, x_col)
        self.sample_weight = frame[weight_col].values if weight_col else None
        if class_mode == "multi_output":
            self._targets = [np.array(frame[column].tolist()) for column in y_col]
        elif class_mode == "raw":
            self._targets = frame[y_col].values
        self.samples = len(self.filenames)
        if self.samples == 0:
            raise ValueError(f"the dataframe lists no usable image files (x_col={x_col!r}, "
                             f"directory={self.directory!r})")
        self._filepaths = [os.path.join(self.directory, name) for name in self.filenames]
        print(f"Found {self.samples} {'' if validate_filenames else 'non-'}validated image filenames"
              + (f" belonging to {self.num_classes} classes." if labelled else "."))
        super().__init__(self._file_source(gen), batch_size, shuffle, seed, gen, workers)

    @property
    def labels(self):
        if self.class_mode in ("multi_output", "raw"):
            return self._targets
        return self.classes

    def _valid_rows(self, frame, x_col):
        paths = frame[x_col].map(lambda name: os.path.join(self.directory, name))
        valid = paths.map(lambda p: is_image_name(p) and os.path.isfile(p))
        invalid = paths[~valid].tolist()
        if invalid:
            shown = ", ".join(f"'{p}'" for p in invalid[:5]) + (" ..." if len(invalid) > 5 else "")
            warnings.warn(f"ignoring {len(invalid)} row(s) of x_col={x_col!r} that are not image files: "
                          f"{shown}", stacklevel=4)
        return frame[valid.values]


def _warn_outside(filenames, directory, x_col):
    """Warn if any of ``filenames`` leads out of ``directory`` (when one is given)."""
    if not directory:
        return
    outside = [name for name in filenames if os.path.isabs(name)
               or os.path.normpath(name).split(os.sep)[0] == os.pardir]
    if outside:
        warnings.warn(f"{len(outside)} of {len(filenames)} file name(s) in column x_col={x_col!r} lead "
                      f"outside directory='{directory}' (absolute paths or '..'), e.g. '{outside[0]}'; "
                      "they are read from where they lead. Use names relative to directory, or "
                      "directory=None with full paths, if that is what you mean", stacklevel=4)


def _import_pandas():
    try:
        import pandas
    except ImportError as err:
        raise ImportError("flow_from_dataframe needs pandas, an optional dependency of augkit: "
                          "pip install pandas") from err
    return pandas


def _check_frame(frame, x_col, y_col, weight_col, classes, class_mode):
    for column in [x_col] + ([weight_col] if weight_col else []):
        if column not in frame.columns:
            raise KeyError(f"the dataframe has no column {column!r}; its columns are {list(frame.columns)}")
    if class_mode == "multi_output" and not isinstance(y_col, list):
        raise TypeError(f"class_mode='multi_output' needs y_col to be a list of columns; got {y_col!r}")
    if class_mode not in ("input", None):
        for column in (y_col if isinstance(y_col, list) else [y_col]):
            if column not in frame.columns:
                raise KeyError(f"the dataframe has no column {column!r} (y_col); its columns are "
                               f"{list(frame.columns)}")
    if not all(isinstance(v, str) for v in frame[x_col]):
        raise TypeError(f"all values in column x_col={x_col!r} must be strings (file names)")
    if class_mode in ("binary", "sparse") and not all(isinstance(v, str) for v in frame[y_col]):
        raise TypeError(f"class_mode={class_mode!r} needs the y_col={y_col!r} values to be strings")
    if class_mode == "binary":
        count = len(set(classes)) if classes else frame[y_col].nunique()
        if count != 2:
            raise ValueError(f"class_mode='binary' needs exactly 2 classes; found {count}")
    if class_mode == "categorical" and not all(isinstance(v, (str, list, tuple)) for v in frame[y_col]):
        raise TypeError(f"class_mode='categorical' needs the y_col={y_col!r} values to be strings "
                        "or lists of strings")
    if classes and class_mode in ("input", "multi_output", "raw", None):
        warnings.warn(f"classes is ignored with class_mode={class_mode!r}", stacklevel=4)
    if weight_col and not np.issubdtype(frame[weight_col].dtype, np.number):
        raise TypeError(f"column weight_col={weight_col!r} must be numeric")


def _filter_classes(frame, y_col, classes):
    """Keras's rule: keep the rows with a label in ``classes`` (default: all, sorted)."""
    if classes:
        classes = list(dict.fromkeys(classes))

        def keep(labels):
            if isinstance(labels, (list, tuple)):
                return [c for c in labels if c in classes] or None
            return labels if labels in classes else None

        frame = frame.copy()
        frame[y_col] = frame[y_col].apply(keep)
        return frame.dropna(subset=[y_col]), classes
    found = set()
    for value in frame[y_col]:
        found.update(value if isinstance(value, (list, tuple)) else [value])
    return frame, sorted(found)
