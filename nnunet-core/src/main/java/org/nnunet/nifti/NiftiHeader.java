package org.nnunet.nifti;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The NIfTI-1 or NIfTI-2 header fields we use, decoded to wide Java types whatever the version. Kept beside the
 * voxels by {@link NiftiIO#readWithHeader} so a file can be written back with its codes, version and byte order.
 *
 * @param version 1 or 2
 * @param dim {@code dim[0..7]}: rank, then sizes in (x, y, z, t, ...) order
 * @param pixdim {@code pixdim[0..7]}; {@code pixdim[0]} holds qfac
 * @param dataOffset byte offset of the voxels: {@code vox_offset}, or the header size + 4 when it is smaller
 *     (nibabel fixes {@code vox_offset = 0} in single files the same way)
 * @param quatern quatern_b, quatern_c, quatern_d
 * @param qoffset qoffset_x, qoffset_y, qoffset_z
 * @param srow srow_x, srow_y, srow_z, row-major (12 numbers)
 */
public record NiftiHeader(int version, ByteOrder byteOrder, long[] dim, int datatypeCode, double[] pixdim,
        long dataOffset, double sclSlope, double sclInter, int qformCode, int sformCode, double[] quatern,
        double[] qoffset, double[] srow, int xyztUnits, int intentCode, String descrip) {

    /** NIfTI unit codes: millimetres and seconds, as ITK writes them. */
    public static final int UNITS_MM_SEC = 2 | 8;

    public NiftiHeader {
        if (dim.length != 8 || pixdim.length != 8 || quatern.length != 3 || qoffset.length != 3
                || srow.length != 12) {
            throw new IllegalArgumentException("NIfTI header arrays have sizes 8, 8, 3, 3 and 12");
        }
        dim = dim.clone();
        pixdim = pixdim.clone();
        quatern = quatern.clone();
        qoffset = qoffset.clone();
        srow = srow.clone();
    }

    /** Size of the fixed header in bytes (348 or 540); the 4-byte extension flag follows it. */
    public int headerSize() {
        return version == 1 ? NiftiHeaderCodec.NIFTI1_SIZE : NiftiHeaderCodec.NIFTI2_SIZE;
    }

    /** Size along NIfTI axis {@code i} (1 = x ... 7); axes beyond {@code dim[0]} count as 1, as the standard says. */
    public long size(int axis) {
        return axis <= dim[0] ? dim[axis] : 1;
    }

    /** Voxels of one 3D volume: product of the x, y and z sizes. */
    public long voxelsPerVolume() {
        return size(1) * size(2) * size(3);
    }

    /** Number of 3D volumes: product of the sizes along axes 4 to 7. */
    public long volumeCount() {
        return size(4) * size(5) * size(6) * size(7);
    }

    /** Array shape of one volume in (z, y, x) order, as {@code sitk.GetArrayFromImage}. */
    public int[] shapeZYX() {
        return new int[] {(int) size(3), (int) size(2), (int) size(1)};
    }

    /** Scaling applies as nibabel decides: a slope of 0 or a non-finite slope means none. */
    public boolean hasScaling() {
        return sclSlope != 0 && Double.isFinite(sclSlope) && !(sclSlope == 1 && sclInter == 0);
    }

    @Override
    public long[] dim() {
        return dim.clone();
    }

    @Override
    public double[] pixdim() {
        return pixdim.clone();
    }

    @Override
    public double[] quatern() {
        return quatern.clone();
    }

    @Override
    public double[] qoffset() {
        return qoffset.clone();
    }

    @Override
    public double[] srow() {
        return srow.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NiftiHeader h && version == h.version && byteOrder.equals(h.byteOrder)
                && Arrays.equals(dim, h.dim) && datatypeCode == h.datatypeCode && Arrays.equals(pixdim, h.pixdim)
                && dataOffset == h.dataOffset && Double.compare(sclSlope, h.sclSlope) == 0
                && Double.compare(sclInter, h.sclInter) == 0 && qformCode == h.qformCode
                && sformCode == h.sformCode && Arrays.equals(quatern, h.quatern) && Arrays.equals(qoffset, h.qoffset)
                && Arrays.equals(srow, h.srow) && xyztUnits == h.xyztUnits && intentCode == h.intentCode
                && descrip.equals(h.descrip);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dim) * 31 + Arrays.hashCode(srow);
    }

    @Override
    public String toString() {
        return "NiftiHeader[nifti" + version + ", " + byteOrder + ", dim=" + Arrays.toString(dim) + ", datatype="
                + datatypeCode + ", pixdim=" + Arrays.toString(pixdim) + ", qform_code=" + qformCode
                + ", sform_code=" + sformCode + ", scl=" + sclSlope + "/" + sclInter + "]";
    }
}
