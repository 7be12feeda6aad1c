import gc

import numpy as np
import pytest

from eevp import hashing


def test_a_derived_value_is_made_once_while_its_source_lives_and_again_for_another_source():
    made = []
    source = np.arange(10)
    source.flags.writeable = False

    def make(array):
        made.append(1)
        return array * 2

    first = hashing.derived((source,), "twice", lambda: make(source))
    again = hashing.derived((source,), "twice", lambda: make(source))
    assert again is first and len(made) == 1
    other = source.copy()  # equal values, another object: never served what another object gave
    other.flags.writeable = False
    assert hashing.derived((other,), "twice", lambda: make(other)) is not first and len(made) == 2
    assert hashing.derived((source,), "thrice", lambda: make(source)) is not first and len(made) == 3


def test_derived_arrays_are_read_only():
    source = np.arange(4)
    codes, labels = hashing.derived((source,), "pair", lambda: (source + 1, np.array(["a"], dtype=object)))
    for array in (codes, labels):
        with pytest.raises(ValueError):
            array[0] = 0


def test_what_a_gone_source_gave_is_dropped_and_the_oldest_go_past_the_limit(monkeypatch):
    monkeypatch.setattr(hashing, "_DERIVED", type(hashing._DERIVED)())
    gone = np.arange(1000)
    hashing.derived((gone,), "copy", lambda: gone.copy())
    del gone
    gc.collect()
    kept = [np.arange(100) for _ in range(3)]
    hashing.derived((kept[0],), "copy", lambda: kept[0].copy())
    assert [key[0] for key in hashing._DERIVED] == ["copy"] and len(hashing._DERIVED) == 1
    monkeypatch.setattr(hashing, "DERIVED_BYTES", 2 * kept[0].nbytes)
    for array in kept[1:]:
        hashing.derived((array,), "copy", lambda a=array: a.copy())
    assert [key[1][0] for key in hashing._DERIVED] == [id(kept[1]), id(kept[2])]


def test_a_read_only_array_has_the_digest_of_a_writable_one_of_the_same_values():
    writable = np.arange(hashing.DERIVED_MIN_BYTES // 8 + 1)
    fixed = writable.copy()
    fixed.flags.writeable = False
    assert hashing.parts_digest(("x", fixed)) == hashing.parts_digest(("x", writable))
    assert hashing.parts_digest(("x", fixed)) != hashing.parts_digest(("x", writable[::-1].copy()))
