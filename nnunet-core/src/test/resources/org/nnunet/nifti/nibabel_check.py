"""Reference side of NiftiNibabelCrossCheckTest: what nibabel sees in NIfTI files.

  summarize          paths on stdin, one JSON summary per line on stdout
  generate DIR       write test files in every datatype with nibabel, then summarize them
  bench REPEATS      paths on stdin; best time of np.asanyarray(nib.load(p, mmap=False).dataobj) over all paths
                     (no interpreter start), print JSON

A summary holds the shape (nibabel order x, y, z[, t]), the affine our reader must reproduce, header codes, and
the voxels as float32 in (t, z, y, x) C order (= disk order = our Volume order): sha256, sum, sum of squares,
and a few samples.
"""
import gzip
import hashlib
import json
import sys
import time

import nibabel as nib
import numpy as np

DTYPES = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'float32', 'float64']


def expected_affine(img):
    """nibabel's best affine; with both codes 0, ITK's pixdim-only rule (nibabel would center the image)."""
    hdr = img.header
    if int(hdr['sform_code']) > 0 or int(hdr['qform_code']) > 0:
        return img.affine
    a = np.eye(4)
    a[0, 0], a[1, 1], a[2, 2] = [abs(z) if z != 0 else 1.0 for z in hdr['pixdim'][1:4]]
    return a


def summarize(path):
    img = nib.load(path)
    hdr = img.header
    data = np.asanyarray(img.dataobj)
    flat = np.ascontiguousarray(data.T).astype(np.float32).reshape(-1)
    wide = flat.astype(np.float64)
    n = flat.size
    samples = sorted({0, n // 7, n // 3, n // 2, (2 * n) // 3, n - 1})
    slope, inter = img.dataobj.slope, img.dataobj.inter  # nibabel moves scl_* from the header to the proxy
    return {
        'path': str(path),
        'shape': [int(s) for s in data.shape],
        'affine': expected_affine(img)[:3].tolist(),
        'qform': hdr.get_qform()[:3].tolist(),
        'version': 2 if isinstance(hdr, nib.Nifti2Header) else 1,
        'endian': hdr.endianness,
        'datatype': int(hdr['datatype']),
        'qform_code': int(hdr['qform_code']),
        'sform_code': int(hdr['sform_code']),
        'scaled': bool(slope != 1 or inter != 0),
        'sha256': hashlib.sha256(flat.astype('<f4').tobytes()).hexdigest(),
        'sum': float(wide.sum()),
        'sumsq': float((wide * wide).sum()),
        'samples': [[int(i), float(flat[i])] for i in samples],
    }


def test_values(dtype, n, rng):
    if dtype.startswith('float'):
        v = rng.normal(0, 1000, n)
        v[:3] = [0.1, -2.5e-7, 123456.789]  # not exact in float32 when float64
    else:
        info = np.iinfo(dtype)
        lo, hi = max(int(info.min), -10**6), min(int(info.max), 10**6)
        v = rng.integers(lo, hi, n, endpoint=True)
        v[:2] = [info.min, info.max]
    return v.astype(dtype)


def rotated_affine(seed):
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    if np.linalg.det(q) < 0:
        q[:, 0] = -q[:, 0]
    a = np.eye(4)
    a[:3, :3] = q @ np.diag([0.7, 1.3, 2.9])
    a[:3, 3] = [-80.5, 33.25, 12.0]
    return a


def write_manual(path, hdr, data):
    """Header bytes from nibabel's header class, voxels from numpy, so scl_slope/inter stay as we set them."""
    hdr['vox_offset'] = hdr.single_vox_offset
    raw = hdr.binaryblock + b'\0\0\0\0' + np.asarray(data, dtype=hdr.get_data_dtype()).tobytes(order='F')
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'wb') as f:
        f.write(raw)


def generate(outdir):
    rng = np.random.default_rng(4)
    paths = []
    for i, dtype in enumerate(DTYPES):
        for version in (1, 2):
            for endian in ('<', '>'):
                ext = '.nii.gz' if (i + version) % 2 else '.nii'
                affine = rotated_affine(i * 4 + version * 2 + (endian == '>'))
                data = test_values(dtype, 7 * 6 * 5, rng).reshape((7, 6, 5), order='F')
                klass = nib.Nifti1Image if version == 1 else nib.Nifti2Image
                hdr = klass.header_class(endianness=endian)
                img = klass(data, affine, hdr)
                img.set_data_dtype(np.dtype(dtype).newbyteorder(endian))
                img.header.set_qform(affine, code=1)
                img.header.set_sform(affine, code=2)
                base = f'{outdir}/nib_{dtype}_v{version}_{"be" if endian == ">" else "le"}'
                nib.save(img, base + ext)
                paths.append(base + ext)
                # scaled copy: written by hand so nibabel does not choose its own scaling
                scaled = base + '_scaled' + ext
                h = img.header.copy()
                h.set_slope_inter(0.5 if dtype != 'float64' else -1.25, -3.0)
                write_manual(scaled, h, data)
                paths.append(scaled)
    # qform only, qfac -1 (left-handed); sform only; neither (pixdim only); a 4D file with three channels
    flip = rotated_affine(99) @ np.diag([1, 1, -1, 1])
    img = nib.Nifti1Image(test_values('int16', 60, rng).reshape((5, 4, 3)), None)
    img.header.set_qform(flip, code=1)
    img.header.set_sform(None, code=0)
    nib.save(img, f'{outdir}/qform_only_leftHanded.nii.gz')
    img = nib.Nifti1Image(test_values('float32', 60, rng).reshape((5, 4, 3)), None)
    img.header.set_sform(rotated_affine(7), code=4)
    img.header.set_qform(None, code=0)
    nib.save(img, f'{outdir}/sform_only.nii')
    img = nib.Nifti1Image(test_values('uint8', 60, rng).reshape((5, 4, 3)), None)
    img.header.set_zooms((0.5, 2.0, 3.5))
    img.header.set_qform(None, code=0)
    img.header.set_sform(None, code=0)
    nib.save(img, f'{outdir}/no_xform.nii.gz')
    img = nib.Nifti2Image(test_values('float32', 7 * 6 * 5 * 3, rng).reshape((7, 6, 5, 3)), rotated_affine(5))
    nib.save(img, f'{outdir}/four_channels_nifti2.nii.gz')
    img = nib.Nifti1Image(test_values('int16', 60, rng).reshape((5, 4, 3)), rotated_affine(6))
    img.header.extensions.append(nib.nifti1.Nifti1Extension('comment', b'voxels start after this extension'))
    nib.save(img, f'{outdir}/with_extension.nii')
    sheared = rotated_affine(8)
    sheared[0, 1] += 0.4  # not a rotation times a scaling: direction columns stay non-orthogonal
    img = nib.Nifti1Image(test_values('float64', 60, rng).reshape((5, 4, 3)), sheared)
    nib.save(img, f'{outdir}/sheared_sform.nii.gz')
    paths += [f'{outdir}/{n}' for n in ('qform_only_leftHanded.nii.gz', 'sform_only.nii', 'no_xform.nii.gz',
                                        'four_channels_nifti2.nii.gz', 'with_extension.nii', 'sheared_sform.nii.gz')]
    for p in paths:
        print(json.dumps(summarize(p)))


def bench(repeats, paths):
    total_bytes = 0
    best = float('inf')
    for _ in range(repeats):
        start = time.perf_counter()
        nbytes = 0
        for p in paths:
            # mmap=False: with a memory map an uncompressed .nii would not be read at all
            nbytes += np.asanyarray(nib.load(p, mmap=False).dataobj).nbytes
        best = min(best, time.perf_counter() - start)
        total_bytes = nbytes
    print(json.dumps({'bytes': total_bytes, 'seconds': best}))


def main():
    cmd = sys.argv[1]
    if cmd == 'summarize':
        for line in sys.stdin:
            if line.strip():
                print(json.dumps(summarize(line.strip())))
    elif cmd == 'generate':
        generate(sys.argv[2])
    elif cmd == 'bench':
        bench(int(sys.argv[2]), [l.strip() for l in sys.stdin if l.strip()])
    else:
        raise SystemExit(f'unknown command {cmd}')


if __name__ == '__main__':
    main()
