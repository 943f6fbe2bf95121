"""Writes the fuzz seed corpus from real files: tiny crops of Task04_Hippocampus and of the mricron templates
(ch2, aal), re-encoded by nibabel in the variants our reader handles (gzip or not, NIfTI-1/2, both byte orders,
scaling, qform only, 4D, extensions), plus the first bytes of ch2 (a real header, voxels cut short).
Run with Debian's python (numpy, nibabel): /usr/bin/python3 make_seeds.py SHARED_DIR RESOURCES_DIR"""
import gzip
import json
import sys
from pathlib import Path

import nibabel as nib
import numpy as np

shared, resources = Path(sys.argv[1]), Path(sys.argv[2])
hippo = shared / "data" / "Task04_Hippocampus"
fuzz = resources / "org" / "nnunet" / "fuzz"
files_dir = fuzz / "NiftiReaderFuzzTestInputs" / "niftiFile"
gz_dir = fuzz / "NiftiReaderFuzzTestInputs" / "gzippedNifti"
json_dir = fuzz / "DatasetJsonFuzzTestInputs" / "datasetJson"
for d in (files_dir, gz_dir, json_dir):
    d.mkdir(parents=True, exist_ok=True)


def save(img, name):
    """name.nii.gz and name.nii go to the file target; the uncompressed bytes also seed the gzip target."""
    img.to_filename(str(files_dir / f"{name}.nii.gz"))
    raw = gzip.decompress((files_dir / f"{name}.nii.gz").read_bytes())
    (gz_dir / f"{name}.nii").write_bytes(raw)
    if name.startswith("hippocampus_001"):
        (files_dir / f"{name}.nii").write_bytes(raw)


image = nib.load(str(hippo / "imagesTr" / "hippocampus_001.nii.gz"))
label = nib.load(str(hippo / "labelsTr" / "hippocampus_001.nii.gz"))
crop = (slice(14, 20), slice(24, 29), slice(14, 18))
save(image.slicer[crop], "hippocampus_001_image_crop")
save(label.slicer[crop], "hippocampus_001_label_crop")

# NIfTI-2, big-endian, float64
img = image.slicer[crop]
n2 = nib.Nifti2Image(np.asarray(img.dataobj, dtype=np.float64), img.affine)
n2.header.set_qform(img.affine, 1)
n2.header.set_sform(img.affine, 1)
n2 = nib.Nifti2Image(n2.get_fdata(), n2.affine, n2.header.as_byteswapped(">"))
save(n2, "hippocampus_image_nifti2_bigendian")

# int16 with scl_slope/scl_inter, qform only (sform_code 0), 2 volumes (image and label as channels)
data = np.stack([np.asarray(img.dataobj), np.asarray(label.slicer[crop].dataobj)], axis=-1).astype(np.int16)
four = nib.Nifti1Image(data, img.affine)
four.header.set_sform(None, 0)
four.header.set_qform(img.affine, 1)
four.header.set_slope_inter(0.5, -3.0)
four.header.set_data_dtype(np.int16)
save(four, "hippocampus_2channels_int16_scaled_qform")

# a header extension, so vox_offset lies past 352
ext = nib.Nifti1Image(np.asarray(img.dataobj), img.affine, img.header)
ext.header.extensions.append(nib.nifti1.Nifti1Extension("comment", b"fuzz seed with an extension"))
save(ext, "hippocampus_image_extension")

templates = Path("/usr/share/mricron/templates")
ch2 = nib.load(str(templates / "ch2.nii.gz"))
save(ch2.slicer[88:93, 105:110, 88:92], "ch2_crop")
aal = nib.load(str(templates / "aal.nii.gz"))
save(aal.slicer[60:64, 70:75, 40:44], "aal_crop")
# ch2's real header followed by the first voxels: a truncated file
(files_dir / "ch2_first_2048_bytes.nii").write_bytes(gzip.decompress((templates / "ch2.nii.gz").read_bytes())[:2048])

# dataset.json: Hippocampus' own header fields with a few of its cases, Decathlon and nnU-Net forms
desc = json.loads((hippo / "dataset.json").read_text())
small = dict(desc, numTraining=3, numTest=2, training=desc["training"][:3], test=desc["test"][:2])
(json_dir / "hippocampus_decathlon.json").write_text(json.dumps(small, indent=4))
relase = {("relase" if k == "release" else k): v for k, v in small.items()}
(json_dir / "hippocampus_relase_typo.json").write_text(json.dumps(relase, indent=4))
brain = dict(small, name="BrainTumour", tensorImageSize="4D",
             modality={"0": "FLAIR", "1": "T1w", "2": "t1gd", "3": "T2w"},
             labels={"0": "background", "1": "edema", "2": "non-enhancing tumor", "3": "enhancing tumour"},
             training=[{"image": "./imagesTr/BRATS_001.nii.gz", "label": "./labelsTr/BRATS_001.nii.gz"}],
             test=["./imagesTs/BRATS_485.nii.gz"], numTraining=1, numTest=1)
(json_dir / "brats_four_modalities.json").write_text(json.dumps(brain, indent=4))
