package org.nnunet.nifti;

import java.nio.file.Path;
import org.nnunet.image.ImageGeometry;

/**
 * Conversions between NIfTI's RAS voxel-to-world affine and the SimpleITK (LPS) geometry nnU-Net stores.
 * Reading prefers the sform when {@code sform_code > 0} (as ITK does), else the qform when {@code qform_code > 0},
 * else pixdim alone (origin 0, axes aligned, as nifti_io's qform fallback). Spacing = column norms of the affine,
 * direction = normalised columns; LPS flips the sign of the first two rows. ITK instead takes spacing from pixdim
 * and keeps only the rotation of a sheared sform; for consistent headers (pixdim = column norms, no shear, as in
 * every Task04_Hippocampus file) both give the same numbers, and ours turns back into the file's affine exactly.
 */
final class NiftiGeometry {
    /**
     * Smallest |determinant| of the unit-column direction (1 for a rotation): below it the voxel axes are (nearly)
     * parallel, the affine describes no 3D grid and its inverse, needed to resample, is meaningless.
     */
    static final double MIN_DIRECTION_DETERMINANT = 1e-6;

    private NiftiGeometry() {}

    /** The 3x4 RAS affine (row-major, 12 numbers) the header's codes select. */
    static double[] rasAffine(NiftiHeader h) {
        if (h.sformCode() > 0) {
            double[] srow = h.srow();
            if (isFinite(srow) && hasNonZeroColumns(srow)) {
                return srow;
            }
        }
        if (h.qformCode() > 0) {
            double[] q = qformAffine(h);
            if (isFinite(q)) {
                return q;
            }
        }
        double[] p = h.pixdim();
        return new double[] {pixel(p[1]), 0, 0, 0, 0, pixel(p[2]), 0, 0, 0, 0, pixel(p[3]), 0};
    }

    static ImageGeometry toItk(NiftiHeader h, Path file) throws NiftiFormatException {
        return fromRasAffine(rasAffine(h), file);
    }

    static ImageGeometry fromRasAffine(double[] a, Path file) throws NiftiFormatException {
        double[] spacing = new double[3];
        double[] direction = new double[9];
        for (int c = 0; c < 3; c++) {
            double norm = norm(a[c], a[4 + c], a[8 + c]);
            if (!(norm > 0) || !Double.isFinite(norm)) {
                throw new NiftiFormatException(file, "degenerate voxel-to-world affine (column " + c + ")");
            }
            spacing[c] = norm;
            for (int r = 0; r < 3; r++) {
                direction[3 * r + c] = (r < 2 ? -1 : 1) * a[4 * r + c] / norm + 0.0; // no -0.0
            }
        }
        double det = directionDeterminant(direction);
        if (!(Math.abs(det) >= MIN_DIRECTION_DETERMINANT)) {
            throw new NiftiFormatException(file, "degenerate voxel-to-world affine: its axes are (nearly) parallel"
                    + " (determinant of the direction " + det + ")");
        }
        return new ImageGeometry(spacing, new double[] {-a[3] + 0.0, -a[7] + 0.0, a[11]}, direction);
    }

    /** The 3x4 RAS affine of an ITK geometry: diag(-1,-1,1) * direction * diag(spacing), origin flipped alike. */
    static double[] toRasAffine(ImageGeometry g) {
        double[] s = g.itkSpacing();
        double[] o = g.itkOrigin();
        double[] d = g.itkDirection();
        double[] a = new double[12];
        for (int r = 0; r < 3; r++) {
            double flip = r < 2 ? -1 : 1;
            for (int c = 0; c < 3; c++) {
                a[4 * r + c] = flip * d[3 * r + c] * s[c] + 0.0;
            }
            a[4 * r + 3] = flip * o[r] + 0.0;
        }
        return a;
    }

    /** nifti_quatern_to_mat44: rotation from (b, c, d), columns scaled by pixdim, z by qfac. */
    static double[] qformAffine(NiftiHeader h) {
        double[] q = h.quatern();
        double b = q[0];
        double c = q[1];
        double d = q[2];
        double a = 1 - (b * b + c * c + d * d);
        if (a < 1e-7) { // b, c, d already a unit vector: a 180 degree rotation
            double n = 1 / Math.sqrt(b * b + c * c + d * d);
            b *= n;
            c *= n;
            d *= n;
            a = 0;
        } else {
            a = Math.sqrt(a);
        }
        double[] p = h.pixdim();
        double qfac = p[0] < 0 ? -1 : 1;
        double dx = pixel(p[1]);
        double dy = pixel(p[2]);
        double dz = pixel(p[3]) * qfac;
        double[] o = h.qoffset();
        return new double[] {
            (a * a + b * b - c * c - d * d) * dx, 2 * (b * c - a * d) * dy, 2 * (b * d + a * c) * dz, o[0],
            2 * (b * c + a * d) * dx, (a * a + c * c - b * b - d * d) * dy, 2 * (c * d - a * b) * dz, o[1],
            2 * (b * d - a * c) * dx, 2 * (c * d + a * b) * dy, (a * a + d * d - c * c - b * b) * dz, o[2]};
    }

    /**
     * nifti_mat44_to_quatern: the qform (b, c, d, qfac) of a geometry. A non-orthogonal direction (sheared sform)
     * is replaced by its nearest rotation (polar decomposition), as nifti_io does; the sform keeps the shear.
     */
    static double[] quaternion(ImageGeometry g) {
        double[] a = toRasAffine(g);
        double[] s = g.itkSpacing();
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[i][j] = a[4 * i + j] / s[j];
            }
        }
        double qfac = 1;
        if (det(r) < 0) {
            qfac = -1;
            for (int i = 0; i < 3; i++) {
                r[i][2] = -r[i][2];
            }
        }
        r = polar(r);
        double qa = r[0][0] + r[1][1] + r[2][2] + 1;
        double qb;
        double qc;
        double qd;
        if (qa > 0.5) {
            qa = 0.5 * Math.sqrt(qa);
            qb = 0.25 * (r[2][1] - r[1][2]) / qa;
            qc = 0.25 * (r[0][2] - r[2][0]) / qa;
            qd = 0.25 * (r[1][0] - r[0][1]) / qa;
        } else {
            double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
            double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
            double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
            if (xd > 1) {
                qb = 0.5 * Math.sqrt(xd);
                qc = 0.25 * (r[0][1] + r[1][0]) / qb;
                qd = 0.25 * (r[0][2] + r[2][0]) / qb;
                qa = 0.25 * (r[2][1] - r[1][2]) / qb;
            } else if (yd > 1) {
                qc = 0.5 * Math.sqrt(yd);
                qb = 0.25 * (r[0][1] + r[1][0]) / qc;
                qd = 0.25 * (r[1][2] + r[2][1]) / qc;
                qa = 0.25 * (r[0][2] - r[2][0]) / qc;
            } else {
                qd = 0.5 * Math.sqrt(zd);
                qb = 0.25 * (r[0][2] + r[2][0]) / qd;
                qc = 0.25 * (r[1][2] + r[2][1]) / qd;
                qa = 0.25 * (r[1][0] - r[0][1]) / qd;
            }
            if (qa < 0) {
                qb = -qb;
                qc = -qc;
                qd = -qd;
            }
        }
        return new double[] {qb, qc, qd, qfac};
    }

    /** Nearest orthogonal matrix by the Newton iteration X = (X + X^-T) / 2. */
    private static double[][] polar(double[][] m) {
        double[][] x = m;
        for (int it = 0; it < 100; it++) {
            double[][] inv = inverse(x);
            double[][] next = new double[3][3];
            double change = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    next[i][j] = 0.5 * (x[i][j] + inv[j][i]);
                    change = Math.max(change, Math.abs(next[i][j] - x[i][j]));
                }
            }
            x = next;
            if (change < 1e-15) {
                break;
            }
        }
        return x;
    }

    /**
     * Length of (x, y, z). The plain sum of squares, except where it underflows (components below ~1e-154, found by
     * fuzzing: the direction then came out with a column of length 1.0008) or overflows: then scaled by the largest
     * component first, so tiny or huge spacings still give unit direction columns.
     */
    static double norm(double x, double y, double z) {
        double sum = x * x + y * y + z * z;
        if (sum >= Double.MIN_NORMAL && sum < Double.POSITIVE_INFINITY) {
            return Math.sqrt(sum);
        }
        double scale = Math.max(Math.abs(x), Math.max(Math.abs(y), Math.abs(z)));
        if (!(scale > 0) || !Double.isFinite(scale)) {
            return Math.sqrt(sum); // 0 or NaN/inf: the caller rejects it
        }
        double u = x / scale;
        double v = y / scale;
        double w = z / scale;
        return scale * Math.sqrt(u * u + v * v + w * w);
    }

    /** Determinant of a row-major 3x3 direction after scaling its columns to unit length; NaN for a zero column. */
    static double directionDeterminant(double[] d) {
        double[][] m = new double[3][3];
        for (int c = 0; c < 3; c++) {
            double norm = norm(d[c], d[3 + c], d[6 + c]);
            for (int r = 0; r < 3; r++) {
                m[r][c] = d[3 * r + c] / norm;
            }
        }
        return det(m);
    }

    private static double det(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    private static double[][] inverse(double[][] m) {
        double det = det(m);
        double[][] inv = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                inv[i][j] = (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
            }
        }
        return inv;
    }

    /** nifti_io treats a zero or invalid pixdim as 1 and a negative one by its magnitude. */
    private static double pixel(double p) {
        return p == 0 || !Double.isFinite(p) ? 1 : Math.abs(p);
    }

    private static boolean isFinite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasNonZeroColumns(double[] a) {
        for (int c = 0; c < 3; c++) {
            if (a[c] == 0 && a[4 + c] == 0 && a[8 + c] == 0) {
                return false;
            }
        }
        return true;
    }
}
