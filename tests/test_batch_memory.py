"""Batch memory: reused once nothing can read it, never overwritten while anything can.

The rule is decided by a finalizer on each batch's lease (see
:mod:`augkit.batch_memory`), never by a reference count.
"""

import copy
import gc
import pickle
import resource
import sys
import threading

import numpy as np
import pytest

from augkit import ImageDataGenerator
from augkit.batch_memory import SPARE_BATCHES, BatchMemory

ROTATE = dict(rotation_range=40, zoom_range=0.2, horizontal_flip=True)


def images(n, seed=0):
    return np.random.default_rng(seed).integers(0, 256, (n, 8, 9, 3), dtype=np.uint8)


def address(array):
    return array.__array_interface__["data"][0]


def _as_batch(base, like):
    return np.frombuffer(base, dtype=like.dtype, count=like.size).reshape(like.shape)


#: name: (what a user keeps of a batch, how to read what is kept back as an array)
HOLDERS = {
    "view": (lambda b: b[1:3], np.asarray),
    "transposed view": (lambda b: b.T, np.asarray),
    "strided view": (lambda b: b[::2, ::3], np.asarray),
    "reshaped view": (lambda b: b.reshape(-1), np.asarray),
    "memoryview": (memoryview, np.asarray),
    "np.asarray": (np.asarray, np.asarray),
    "list holding a view": (lambda b: [b[0]], lambda kept: kept[0]),
}


def test_every_kind_of_reference_keeps_a_batch_from_being_overwritten():
    it = ImageDataGenerator(**ROTATE).flow(images(40), batch_size=4, seed=2, shuffle=False)
    kept, expected = {}, {}
    for name, (hold, read) in HOLDERS.items():
        batch = next(it)
        expected[name] = read(hold(batch.copy()))
        kept[name] = hold(batch)
        del batch  # only what the user keeps is left
    batch = next(it)
    base, base_expected = batch.base, batch.copy()
    del batch  # only the batch's base (its lease) is left
    for _ in range(3 * len(it)):
        next(it)  # new batches would reuse any memory given back too early
    for name, (hold, read) in HOLDERS.items():
        np.testing.assert_array_equal(read(kept[name]), expected[name], err_msg=name)
    np.testing.assert_array_equal(_as_batch(base, base_expected), base_expected)


def test_memory_comes_back_exactly_when_the_last_view_goes():
    memory = BatchMemory()
    batch = memory.array((4, 5), np.float32)
    view = batch[2:]
    del batch
    assert memory.spare_count() == 0  # the view still reads the memory
    del view
    assert memory.spare_count() == 1


def test_no_reference_count_is_read(monkeypatch):
    def refuse(obj):
        raise AssertionError("batch reuse must not depend on sys.getrefcount")

    monkeypatch.setattr(sys, "getrefcount", refuse)
    it = ImageDataGenerator().flow(images(12), batch_size=4, shuffle=False)
    addresses = {address(next(it)) for _ in range(9)}
    assert len(addresses) <= 2


def test_a_training_loop_uses_two_arrays_in_turn():
    it = ImageDataGenerator(**ROTATE).flow(images(16), np.arange(16), batch_size=4, seed=0)
    seen = set()
    for _ in range(12):
        batch_x, batch_y = next(it)  # the loop variables hold the previous batch while the next is made
        seen.add(address(batch_x))
    assert len(seen) <= 2


def test_kept_batches_get_new_memory_and_spares_stay_bounded():
    it = ImageDataGenerator().flow(images(40), batch_size=4, shuffle=False)
    kept = [next(it) for _ in range(10)]
    assert len({address(batch) for batch in kept}) == 10
    del kept
    assert it._batch_memory.spare_count() == SPARE_BATCHES  # the rest is freed


def test_a_smaller_last_batch_reuses_a_larger_array():
    it = ImageDataGenerator().flow(images(10), batch_size=4, shuffle=False)
    addresses = [address(next(it)) for _ in range(3)]  # 4, 4, then 2 samples
    assert addresses[2] in addresses[:2]


def test_reused_memory_is_not_faulted_again():
    """What reuse is for: a fresh 40 MB array is mapped page by page; a reused one is not."""
    shape = (40, 256, 256, 4)
    memory = BatchMemory()
    first = memory.array(shape, np.float32)
    first.fill(1.0)
    del first

    def minor_faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt

    before = minor_faults()
    fresh = np.empty(shape, np.float32)
    fresh.fill(1.0)
    fresh_faults = minor_faults() - before
    del fresh
    before = minor_faults()
    for _ in range(5):
        batch = memory.array(shape, np.float32)
        batch.fill(1.0)
        del batch
    reused_faults = minor_faults() - before
    assert fresh_faults > 0 and reused_faults < fresh_faults


def test_batches_served_to_threads_never_share_memory():
    it = ImageDataGenerator(**ROTATE).flow(images(40), np.arange(40), batch_size=4, seed=8, workers=2)
    results, lock = {}, threading.Lock()

    def take(i):
        batch = it[i]
        with lock:
            results[i] = batch

    threads = [threading.Thread(target=take, args=(i,)) for i in range(len(it))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    arrays = [results[i][0] for i in range(len(it))]
    assert not any(np.shares_memory(a, b) for j, a in enumerate(arrays) for b in arrays[j + 1:])
    for i in range(len(it)):
        np.testing.assert_array_equal(results[i][0], it[i][0])


@pytest.mark.parametrize("clone", [copy.copy, copy.deepcopy, lambda it: pickle.loads(pickle.dumps(it))],
                         ids=["copy", "deepcopy", "pickle"])
def test_a_copied_iterator_has_its_own_batch_memory(clone):
    it = ImageDataGenerator(**ROTATE).flow(images(8), batch_size=4, seed=1)
    held = next(it)
    twin = clone(it)
    assert twin._batch_memory is not it._batch_memory
    other = next(twin)
    assert not np.shares_memory(held, other)
    np.testing.assert_array_equal(next(it), other)


def test_close_frees_the_spare_memory():
    it = ImageDataGenerator().flow(images(8), batch_size=4, shuffle=False)
    next(it)
    gc.collect()
    assert it._batch_memory.spare_count() == 1
    it.close()
    assert it._batch_memory.spare_count() == 0
    assert next(it).shape == (4, 8, 9, 3)


def test_paired_batches_reuse_memory_for_images_and_masks_and_never_overwrite_held_ones():
    x = np.random.default_rng(0).random((8, 6, 7, 3)).astype(np.float32)
    masks = np.random.default_rng(1).integers(0, 4, (8, 6, 7)).astype(np.uint8)
    it = ImageDataGenerator(horizontal_flip=True).flow_pairs(x, masks, batch_size=4, shuffle=False, seed=0)
    held_x, held_m = next(it)
    kept_x, kept_m = held_x.copy(), held_m.copy()
    for _ in range(6):  # dropped batches come back to the pools
        next(it)
    np.testing.assert_array_equal(held_x, kept_x)  # held batches were never overwritten
    np.testing.assert_array_equal(held_m, kept_m)
    assert it._batch_memory.spare_count() >= 1 and it._mask_memory.spare_count() >= 1
    twin = pickle.loads(pickle.dumps(it))
    assert "_mask_memory" not in twin.__dict__ or twin._mask_memory is not it._mask_memory
    it.close()
    assert it._batch_memory.spare_count() == 0 and it._mask_memory.spare_count() == 0
