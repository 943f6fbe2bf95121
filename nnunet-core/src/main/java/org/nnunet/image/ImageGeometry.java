package org.nnunet.image;

import java.util.Arrays;

/**
 * Physical geometry of a 3D image exactly as SimpleITK reports it: spacing and origin in (x, y, z) order,
 * direction as a row-major 3x3 matrix, all in ITK's LPS convention. nnU-Net stores these as
 * {@code itk_spacing}, {@code itk_origin} and {@code itk_direction}; its rules use {@link #spacingZYX()}.
 */
public record ImageGeometry(double[] itkSpacing, double[] itkOrigin, double[] itkDirection) {

    public ImageGeometry {
        if (itkSpacing.length != 3 || itkOrigin.length != 3 || itkDirection.length != 9) {
            throw new IllegalArgumentException("geometry needs 3 spacings, 3 origin values and a 3x3 direction");
        }
        itkSpacing = itkSpacing.clone();
        itkOrigin = itkOrigin.clone();
        itkDirection = itkDirection.clone();
    }

    public static ImageGeometry identity(double[] spacingZYX) {
        return new ImageGeometry(new double[] {spacingZYX[2], spacingZYX[1], spacingZYX[0]},
                new double[3], new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    /** Spacing in array order (z, y, x), as nnU-Net's {@code original_spacing}. */
    public double[] spacingZYX() {
        return new double[] {itkSpacing[2], itkSpacing[1], itkSpacing[0]};
    }

    @Override
    public double[] itkSpacing() {
        return itkSpacing.clone();
    }

    @Override
    public double[] itkOrigin() {
        return itkOrigin.clone();
    }

    @Override
    public double[] itkDirection() {
        return itkDirection.clone();
    }

    /** Same geometry within {@code tol} on every number (nnU-Net's integrity check compares with a tolerance). */
    public boolean approximatelyEquals(ImageGeometry o, double tol) {
        return close(itkSpacing, o.itkSpacing, tol) && close(itkOrigin, o.itkOrigin, tol)
                && close(itkDirection, o.itkDirection, tol);
    }

    private static boolean close(double[] a, double[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageGeometry g && Arrays.equals(itkSpacing, g.itkSpacing)
                && Arrays.equals(itkOrigin, g.itkOrigin) && Arrays.equals(itkDirection, g.itkDirection);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(itkSpacing) + Arrays.hashCode(itkOrigin)) + Arrays.hashCode(itkDirection);
    }

    @Override
    public String toString() {
        return "ImageGeometry[spacing=" + Arrays.toString(itkSpacing) + ", origin=" + Arrays.toString(itkOrigin)
                + ", direction=" + Arrays.toString(itkDirection) + "]";
    }
}
