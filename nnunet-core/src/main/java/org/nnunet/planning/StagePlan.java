package org.nnunet.planning;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;

/**
 * One entry of nnU-Net v1's {@code plans_per_stage}, as returned by {@code get_properties_for_stage}. Shapes and
 * spacings are in transposed order (see {@link Plans#transposeForward()}); 2D plans hold 2D patch, pools and kernels.
 */
public record StagePlan(
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("num_pool_per_axis") int[] numPoolPerAxis,
        @JsonProperty("patch_size") int[] patchSize,
        @JsonProperty("median_patient_size_in_voxels") int[] medianPatientSizeInVoxels,
        @JsonProperty("current_spacing") double[] currentSpacing,
        @JsonProperty("original_spacing") double[] originalSpacing,
        @JsonProperty("do_dummy_2D_data_aug") boolean doDummy2DDataAug,
        @JsonProperty("pool_op_kernel_sizes") int[][] poolOpKernelSizes,
        @JsonProperty("conv_kernel_sizes") int[][] convKernelSizes) {

    /** One line per item, like the planner's log. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append("  target spacing: ").append(fmt(currentSpacing)).append('\n');
        b.append("  median shape at that spacing: ").append(Arrays.toString(medianPatientSizeInVoxels)).append('\n');
        b.append("  patch size: ").append(Arrays.toString(patchSize)).append('\n');
        b.append("  batch size: ").append(batchSize).append('\n');
        b.append("  pools per axis: ").append(Arrays.toString(numPoolPerAxis)).append('\n');
        b.append("  pool kernels: ").append(Arrays.deepToString(poolOpKernelSizes)).append('\n');
        b.append("  conv kernels: ").append(Arrays.deepToString(convKernelSizes)).append('\n');
        b.append("  dummy 2D data augmentation: ").append(doDummy2DDataAug).append('\n');
        return b.toString();
    }

    static String fmt(double[] v) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            b.append(i > 0 ? ", " : "").append(java.math.BigDecimal.valueOf(Math.round(v[i] * 1e5) / 1e5)
                    .stripTrailingZeros().toPlainString());
        }
        return b.append(']').toString();
    }
}
