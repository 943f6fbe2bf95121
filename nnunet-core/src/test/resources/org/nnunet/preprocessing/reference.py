"""Reference numbers for the preprocessing tests, computed with the libraries nnU-Net v1.7.1 runs on
(scikit-image 0.19, scipy, numpy). Usage: reference.py MANIFEST.json

The manifest is a list of jobs {"op", "in", "out", ...}; inputs are .npy files, outputs are written as float64 .npy.
resize_segmentation and resample_data_or_seg are re-written here from the v1.7.1 / batchgenerators rules
(one-hot order-1 resize with a >= 0.5 threshold; separate z: in-plane resize per slice, map_coordinates along z).
"""
import json
import sys

import numpy as np
from scipy.ndimage import map_coordinates
from skimage.transform import resize


def resize_segmentation(seg, new_shape, order=1):
    out = np.zeros(new_shape, dtype=seg.dtype)
    for c in np.unique(seg):
        m = resize((seg == c).astype(float), new_shape, order, mode="edge", clip=True, anti_aliasing=False)
        out[m >= 0.5] = c
    return out


def resample_data_or_seg(data, new_shape, is_seg, axis, order, order_z):
    """One channel (3D). axis None: no separate z."""
    data = data.astype(float)
    shape = np.array(data.shape)
    new_shape = np.array(new_shape)
    if not np.any(shape != new_shape):
        return data
    if is_seg:
        fn = lambda x, s: resize_segmentation(x, s, order)
    else:
        fn = lambda x, s: resize(x, s, order, mode="edge", anti_aliasing=False)
    if axis is None:
        return fn(data, tuple(new_shape))
    inplane = tuple(int(v) for i, v in enumerate(new_shape) if i != axis)
    slices = [fn(np.take(data, s, axis=axis), inplane) for s in range(shape[axis])]
    r = np.stack(slices, axis)
    if shape[axis] == new_shape[axis]:
        return r
    rows, cols, dim = new_shape
    orows, ocols, odim = r.shape
    mr, mc, md = np.mgrid[:rows, :cols, :dim]
    mr = float(orows) / rows * (mr + 0.5) - 0.5
    mc = float(ocols) / cols * (mc + 0.5) - 0.5
    md = float(odim) / dim * (md + 0.5) - 0.5
    return map_coordinates(r, np.array([mr, mc, md]), order=order_z, mode="nearest")


def main():
    jobs = json.load(open(sys.argv[1]))
    for j in jobs:
        op = j["op"]
        if op == "resize":
            x = np.load(j["in"]).astype(float)
            y = resize(x, tuple(j["shape"]), j["order"], mode="edge", cval=0, clip=True, anti_aliasing=False)
        elif op == "resize_segmentation":
            y = resize_segmentation(np.load(j["in"]).astype(float), tuple(j["shape"]), 1)
        elif op == "resample_data_or_seg":
            axis = j["axis"] if j["axis"] >= 0 else None
            y = resample_data_or_seg(np.load(j["in"]), tuple(j["shape"]), j["is_seg"], axis, j["order"],
                                     j["order_z"])
        elif op == "choice":
            rs = np.random.RandomState(j["seed"])
            y = np.concatenate([rs.choice(n, k, replace=False) for n, k in j["draws"]])
        else:
            raise ValueError("unknown op " + op)
        np.save(j["out"], np.asarray(y, dtype=np.float64))


if __name__ == "__main__":
    main()
