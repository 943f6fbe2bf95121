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


def preprocess_case(data, seg, original_spacing, target_spacing, transpose, schemes, use_mask, ct, all_classes,
                    two_d):
    """GenericPreprocessor._run_internal / PreprocessorFor2D without file I/O, written from the v1.7.1 rules."""
    data = data.transpose((0, *[i + 1 for i in transpose])).astype(np.float32)
    seg = seg.transpose((0, *[i + 1 for i in transpose]))
    spacing_t = np.array(original_spacing)[transpose]
    target = np.array(target_spacing, dtype=float)
    if two_d:
        target[0] = spacing_t[0]
    data[np.isnan(data)] = 0
    shape = np.array(data[0].shape)
    new_shape = np.round((spacing_t / target).astype(float) * shape).astype(int)
    if (spacing_t.max() / spacing_t.min()) > 3:
        axis = np.where(max(spacing_t) / spacing_t == 1)[0]
    elif (target.max() / target.min()) > 3:
        axis = np.where(max(target) / target == 1)[0]
    else:
        axis = None
    if axis is not None and len(axis) != 1:
        axis = None
    ax = None if axis is None else int(axis[0])
    data = np.stack([resample_data_or_seg(d, new_shape, False, ax, 3, 0) for d in data]).astype(np.float32)
    seg = np.stack([resample_data_or_seg(s, new_shape, True, ax, 1, 0) for s in seg]).astype(np.float32)
    seg[seg < -1] = 0
    for c in range(len(data)):
        if schemes[c] == "CT":
            data[c] = np.clip(data[c], ct[c][2], ct[c][3])
            data[c] = (data[c] - ct[c][0]) / ct[c][1]
            if use_mask[c]:
                data[c][seg[-1] < 0] = 0
        elif schemes[c] == "noNorm":
            pass
        elif use_mask[c]:
            mask = seg[-1] >= 0
            data[c][mask] = (data[c][mask] - data[c][mask].mean()) / (data[c][mask].std() + 1e-8)
            data[c][mask == 0] = 0
        else:
            data[c] = (data[c] - data[c].mean()) / (data[c].std() + 1e-8)
    all_data = np.vstack((data, seg)).astype(np.float32)
    rndst = np.random.RandomState(1234)
    rows = []
    for c in all_classes:
        all_locs = np.argwhere(all_data[-1] == c)
        if len(all_locs) == 0:
            continue
        k = min(10000, len(all_locs))
        k = max(k, int(np.ceil(len(all_locs) * 0.01)))
        sel = all_locs[rndst.choice(len(all_locs), k, replace=False)]
        rows.append(np.concatenate([np.full((k, 1), c), sel], axis=1))
    locs = np.concatenate(rows) if rows else np.zeros((0, 4))
    return all_data, locs


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
        elif op == "preprocess":
            x = np.load(j["in"])
            y, locs = preprocess_case(x[:-1], x[-1:], j["original_spacing"], j["target_spacing"], j["transpose"],
                                      j["schemes"], j["use_mask"], j["ct"], j["all_classes"], j["two_d"])
            np.save(j["out"].replace("_out.npy", "_locs.npy"), locs.astype(np.float64))
        elif op == "choice":
            rs = np.random.RandomState(j["seed"])
            y = np.concatenate([rs.choice(n, k, replace=False) for n, k in j["draws"]])
        else:
            raise ValueError("unknown op " + op)
        np.save(j["out"], np.asarray(y, dtype=np.float64))


if __name__ == "__main__":
    main()
