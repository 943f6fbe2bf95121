package org.nnunet.planning;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What nnU-Net v1's {@code ExperimentPlanner} (experiment_planner_baseline_3DUNet.py) shares between the 3D and
 * 2D planners: constants, median target spacing, transposition, median shape, normalization and the nonzero-mask
 * decision. Subclasses add the stage rules.
 */
public abstract class ExperimentPlanner {
    protected static final int MAX_NUM_POOL = 999;
    protected static final int MIN_BATCH_SIZE = 2;
    protected static final int FEATURE_MAP_MIN_EDGE_LENGTH = 4;
    protected static final double TARGET_SPACING_PERCENTILE = 50;
    protected static final double ANISOTROPY_THRESHOLD = 3;
    /** {@code how_much_of_a_patient_must_the_network_see_at_stage0}. */
    protected static final double LOWRES_TRIGGER = 4;
    /** All samples of a batch together may cover at most 5% of the dataset's voxels. */
    protected static final double BATCH_SIZE_COVERS_MAX_PERCENT_OF_DATASET = 0.05;
    protected static final int CONV_PER_STAGE = 2;
    protected static final int BASE_NUM_FEATURES = 32;

    protected final DatasetFingerprint fingerprint;
    protected final Path croppedFolder;
    protected final Path preprocessedFolder;

    protected ExperimentPlanner(DatasetFingerprint fingerprint, Path croppedFolder, Path preprocessedFolder) {
        if (fingerprint.numCases() == 0) {
            throw new IllegalArgumentException("cannot plan a dataset without cases");
        }
        this.fingerprint = fingerprint;
        this.croppedFolder = croppedFolder;
        this.preprocessedFolder = preprocessedFolder;
    }

    public abstract Plans plan();

    /** File name of this planner's plans in {@code nnUNet_preprocessed/TaskXXX}. */
    public abstract String plansFileName();

    /** {@code ExperimentPlanner.get_target_spacing}: per-axis median of the spacings. */
    protected double[] targetSpacing() {
        return NumpyStats.percentileColumns(spacings(), TARGET_SPACING_PERCENTILE);
    }

    protected double[][] spacings() {
        return fingerprint.allSpacings().toArray(new double[0][]);
    }

    protected double[][] sizes() {
        double[][] out = new double[fingerprint.numCases()][];
        for (int i = 0; i < out.length; i++) {
            int[] s = fingerprint.allSizes().get(i);
            out[i] = new double[] {s[0], s[1], s[2]};
        }
        return out;
    }

    /** {@code transpose_forward = [argmax(target)] + remaining axes}: the coarsest axis goes first. */
    static int[] transposeForward(double[] target) {
        int w = argmax(target);
        int[] t = new int[3];
        t[0] = w;
        int k = 1;
        for (int i = 0; i < 3; i++) {
            if (i != w) {
                t[k++] = i;
            }
        }
        return t;
    }

    static int[] transposeBackward(int[] forward) {
        int[] back = new int[forward.length];
        for (int i = 0; i < forward.length; i++) {
            back[forward[i]] = i;
        }
        return back;
    }

    /** {@code np.argmax}: first index of the maximum. */
    static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Median over cases of each case's size at the target spacing ({@code spacing / target * size}). */
    protected double[] medianShape(double[] target) {
        double[][] sp = spacings();
        double[][] sz = sizes();
        double[][] shapes = new double[sp.length][3];
        for (int i = 0; i < sp.length; i++) {
            for (int a = 0; a < 3; a++) {
                shapes[i][a] = sp[i][a] / target[a] * sz[i][a];
            }
        }
        return NumpyStats.medianColumns(shapes);
    }

    static double[] permute(double[] v, int[] order) {
        double[] out = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            out[i] = v[order[i]];
        }
        return out;
    }

    /** {@code determine_normalization_scheme}: "CT"/"ct" -> CT, "noNorm" -> none, anything else nonCT. */
    protected Map<Integer, String> normalizationSchemes() {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (int i = 0; i < fingerprint.numModalities(); i++) {
            String m = fingerprint.modalities().get(i);
            out.put(i, "CT".equals(m) || "ct".equals(m) ? Plans.NORM_CT
                    : "noNorm".equals(m) ? Plans.NORM_NONE : Plans.NORM_NON_CT);
        }
        return out;
    }

    /**
     * {@code determine_whether_to_use_mask_for_norm}: false for a modality whose name contains "CT" (v1 tests
     * {@code "CT" in name} here, unlike the exact match of the scheme); otherwise true iff cropping kept less than
     * 3/4 of the voxels in the median case (brain-like data).
     */
    protected Map<Integer, Boolean> useMaskForNorm() {
        double medianReduction = NumpyStats.median(
                fingerprint.sizeReductions().values().stream().mapToDouble(Double::doubleValue).toArray());
        Map<Integer, Boolean> out = new LinkedHashMap<>();
        for (int i = 0; i < fingerprint.numModalities(); i++) {
            String m = fingerprint.modalities().get(i);
            out.put(i, !m.contains("CT") && medianReduction < 3 / 4.0);
        }
        return out;
    }

    protected List<String> listOfCroppedFiles() {
        List<String> out = new ArrayList<>();
        for (String id : fingerprint.caseIdentifiers()) {
            out.add(croppedFolder.resolve(id + ".npy").toString());
        }
        return out;
    }

    /** The shrink step of {@code get_properties_for_stage}: axis with the largest patch/median ratio (last on ties). */
    static int axisToReduce(int[] patch, int[] median) {
        int best = 0;
        double bestRatio = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < patch.length; i++) {
            double r = (double) patch[i] / median[i];
            if (r >= bestRatio) {
                bestRatio = r;
                best = i;
            }
        }
        return best;
    }

    /**
     * One shrink of the patch while the VRAM estimate is too large: reduce the chosen axis by the divisor it would
     * have after a first reduction, then recompute the topology (which pads the patch again).
     */
    static PoolAndConvProps shrink(double[] spacing, PoolAndConvProps props, int[] median) {
        int[] patch = props.patchSize();
        int axis = axisToReduce(patch, median);
        int[] tmp = patch.clone();
        tmp[axis] -= props.mustBeDivisibleBy()[axis];
        if (tmp[axis] < 1) {
            throw new IllegalStateException("cannot shrink patch " + java.util.Arrays.toString(patch)
                    + " any further on axis " + axis + " to fit the memory estimate");
        }
        int[] divNew = PoolAndConvProps.compute(spacing, tmp, FEATURE_MAP_MIN_EDGE_LENGTH, MAX_NUM_POOL)
                .mustBeDivisibleBy();
        int[] next = patch.clone();
        next[axis] -= divNew[axis];
        return PoolAndConvProps.compute(spacing, next, FEATURE_MAP_MIN_EDGE_LENGTH, MAX_NUM_POOL);
    }

    static int[] roundToInt(double[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = NumpyStats.round(v[i]);
        }
        return out;
    }
}
