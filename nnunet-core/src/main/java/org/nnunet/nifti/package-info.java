/**
 * NIfTI-1/2 reading and writing in the conventions nnU-Net v1 gets from SimpleITK
 * ({@code sitk.ReadImage} / {@code GetArrayFromImage} in {@code preprocessing/cropping.py}): arrays in (z, y, x)
 * C order, geometry as ITK's spacing, origin and direction in LPS. Entry point {@link org.nnunet.nifti.NiftiIO};
 * every problem with a file is a {@link org.nnunet.nifti.NiftiFormatException} naming the file.
 */
package org.nnunet.nifti;
