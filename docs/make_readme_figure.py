"""Make docs/augmented_grid.png, the picture at the top of the README.

Nine samples of the study notes' standard configuration on a non-square
photograph, each titled with the parameters augkit drew for it. The PNG's
``Description`` holds those parameters, one sample a line, so
``tests/test_readme_figure.py`` can tell when a change of augkit's random
stream has left the picture behind: then run it again.
Run: ``.venv/bin/python docs/make_readme_figure.py``.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from augkit import ImageDataGenerator  # noqa: E402
from augkit.datasets import sample_image  # noqa: E402

OUT = Path(__file__).resolve().parent / "augmented_grid.png"
SEED = 0


def generator():
    """The study notes' standard configuration."""
    return ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,
                              shear_range=20, zoom_range=0.2, horizontal_flip=True,
                              brightness_range=(0.7, 1.3))


def drawn_params(gen, image_shape):
    """The eight samples' parameters, seeds ``SEED`` to ``SEED + 7``."""
    return [gen.random_params(image_shape, seed=seed) for seed in range(SEED, SEED + 8)]


def main():
    image = sample_image("chelsea").astype(np.float32) / 255
    gen = generator()
    params = drawn_params(gen, image.shape)
    fig, axes = plt.subplots(3, 3, figsize=(10, 6.6))
    axes = axes.ravel()
    axes[0].imshow(image)
    axes[0].set_title("original (300 × 451)", fontsize=8)
    for ax, p in zip(axes[1:], params):
        ax.imshow(np.clip(gen.apply_transform(image, p), 0, 1))
        text = str(p)
        cut = text.find(", ", len(text) // 2)
        ax.set_title(text if cut < 0 else text[:cut] + "\n" + text[cut + 2:], fontsize=7)
    for ax in axes:
        ax.axis("off")
    fig.suptitle("augkit.ImageDataGenerator(rotation_range=40, width_shift_range=0.2, height_shift_range=0.2,\n"
                 "shear_range=20, zoom_range=0.2, horizontal_flip=True, brightness_range=(0.7, 1.3))",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(OUT, dpi=80, metadata={"Software": None, "Description": "\n".join(map(str, params))})
    print(f"wrote {OUT.name}")


if __name__ == "__main__":
    main()
